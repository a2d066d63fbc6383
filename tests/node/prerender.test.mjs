// How the pre-rendered page carries its stylesheets (examples/site/prerender.mjs):
// inline, exactly as served, their preloads dropped, other links untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inlineStylesheets } from '../../examples/site/prerender.mjs';

const PAGE = [
  '<head>',
  '  <link rel="icon" href="/favicon.svg">',
  '  <link rel="stylesheet" href="/site.css">',
  '  <link rel="preload" href="/web/trial-screener.css" as="style">',
  '  <link rel="preload" href="/bh002/trial.json" as="fetch" crossorigin>',
  '  <link rel="stylesheet" href="/other.css">',
  '</head>',
  '<trial-screener><template shadowrootmode="open"><link rel="stylesheet" href="/web/trial-screener.css"><div class="widget"></div></template></trial-screener>',
  '',
].join('\n');

test('a known stylesheet link becomes a <style> of its text and its preload goes; other links stay', () => {
  const made = inlineStylesheets(PAGE, { '/site.css': 'body { margin: 0 }', '/web/trial-screener.css': ':host { display: block }' });
  assert.equal(made, [
    '<head>',
    '  <link rel="icon" href="/favicon.svg">',
    '  <style>body { margin: 0 }</style>',
    '  <link rel="preload" href="/bh002/trial.json" as="fetch" crossorigin>',
    '  <link rel="stylesheet" href="/other.css">',
    '</head>',
    '<trial-screener><template shadowrootmode="open"><style>:host { display: block }</style><div class="widget"></div></template></trial-screener>',
    '',
  ].join('\n'));
});

test('a stylesheet that would close its own <style> is refused, not written', () => {
  assert.throws(() => inlineStylesheets(PAGE, { '/site.css': 'a::after { content: "</style><script>" }' }), /\/site\.css: a stylesheet that closes its own <style>/);
});
