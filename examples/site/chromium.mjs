// Debian's Chromium through playwright-core, headless and offline, as the
// end-to-end tests, the benchmarks and the page pre-rendering (prerender.mjs)
// all launch it. Never `npx playwright install`: there is no download.
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

export async function launchBrowser() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}
