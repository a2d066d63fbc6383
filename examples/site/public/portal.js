// The partner portal's side: frames the screener with this page's origin as
// the only allowed receiver, and accepts results only from that frame.
const frame = document.getElementById('screener-frame');
const received = document.getElementById('received');
const params = new URLSearchParams({ audience: 'patient', parentOrigin: window.location.origin });
frame.src = `/embed.html?${params}`;

window.addEventListener('message', (event) => {
  if (event.origin !== window.location.origin || event.source !== frame.contentWindow) return;
  const { type, result } = event.data ?? {};
  if (type !== 'trialscreen:result' || !result) return;
  const failed = result.criteria.filter((c) => c.status === 'fail').map((c) => c.id);
  received.textContent = `Verdict: ${result.verdict}${failed.length ? ` (not met: ${failed.join(', ')})` : ''}; `
    + `${result.next.length} question(s) still open; trial ${result.trial?.id} version ${result.trial?.version}.`;
});
