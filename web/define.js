// Registers <trial-screener>. Kept apart from the class so a host can import
// the class alone and register it under its own name.
import { TrialScreenerElement } from './trial-screener.js';

if (!customElements.get('trial-screener')) {
  customElements.define('trial-screener', TrialScreenerElement);
}

export { TrialScreenerElement };
