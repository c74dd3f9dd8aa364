// English reads with ASCII punctuation (issue #15, "full-width colons in English"): no "：" in the
// English catalogues, none typed into the desk's scripts (they take t('common.colon')), and every
// CSS rule that adds a "：" after a label has an English override. node --test tests/desk/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const web = join(root, 'web', 'static');

function filesUnder(dir, ext) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? filesUnder(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

test('no full-width colon in an English catalogue value', async () => {
  const bad = [];
  for (const f of readdirSync(join(web, 'i18n')).filter((n) => n === 'en.js' || n.endsWith('.en.js'))) {
    const cat = (await import(join(web, 'i18n', f))).default;
    for (const [k, v] of Object.entries(cat)) if (String(v).includes('：')) bad.push(`${f} ${k}: ${v}`);
  }
  assert.deepEqual(bad, []);
});

test("the desk's scripts write no full-width colon or semicolon of their own (comments and patterns aside)", () => {
  const bad = [];
  for (const f of filesUnder(join(web, 'app'), '.js')) {
    readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
      // Comments, and regular expressions that read what people typed (admin-partners.js splits a
      // list at "，；、"), are not what the desk writes.
      const code = line.replace(/\/\/.*$/, '').replace(/\/(?:[^/\\\n]|\\.)+\/[gimsuy]*/g, '');
      if (/[：；]/.test(code)) bad.push(`${f.slice(root.length + 1)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(bad, []);
});

test('a CSS "：" after a label has an English override', () => {
  const sheets = filesUnder(join(web, 'css'), '.css').map((f) => [f, readFileSync(f, 'utf8')]);
  const all = sheets.map(([, css]) => css).join('\n');
  const bad = [];
  for (const [f, css] of sheets) {
    for (const m of css.matchAll(/([^{}]+)\{[^}]*content:\s*"："/g)) {
      for (const sel of m[1].split(',').map((x) => x.replace(/\/\*[\s\S]*?\*\//g, '').trim()).filter(Boolean)) {
        const esc = sel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        if (!new RegExp(`html:lang\\(en\\)\\s+${esc}\\s*[,{]`).test(all)) bad.push(`${f.slice(root.length + 1)}: ${sel}`);
      }
    }
  }
  assert.deepEqual(bad, []);
});
