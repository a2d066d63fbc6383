// DOM helpers for the widget. Text is only ever set with textContent: trial
// files are data, and a text that looks like HTML must stay text.

/** Builds an element: `text` sets textContent, `on*` adds listeners, other keys are attributes or properties. */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key in node && typeof value !== 'string') node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  node.append(...children.flat().filter((child) => child != null && child !== false));
  return node;
}

/**
 * Makes `container`'s element children exactly `nodes`, in order, moving no
 * node that is already in place, so focus and caret survive a live update.
 */
export function reconcile(container, nodes) {
  const wanted = new Set(nodes);
  for (const child of [...container.children]) if (!wanted.has(child)) child.remove();
  let cursor = container.firstElementChild;
  for (const node of nodes) {
    if (node === cursor) {
      cursor = cursor.nextElementSibling;
      continue;
    }
    container.insertBefore(node, cursor);
  }
}
