// A parent origin from the iframe's address: only an exact http(s) origin
// ("https://portal.example", no path, no wildcard) is accepted.
export function parentOriginFrom(value) {
  if (typeof value !== 'string' || value === '') return null;
  let url;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return url.origin === value ? url.origin : null;
}
