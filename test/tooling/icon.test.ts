// The app's icon: PNGs drawn by build/icon.mjs and committed (electron-builder reads them from build/,
// Vite copies renderer/public/icon.png into dist/ui). They must be real PNGs of their sizes with real
// content, exactly what the generator draws, and the built renderer must serve and link its copy.
// Where electron-builder finds them for each platform is in builder-config.test.ts.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import { APP_BASE } from '../../electron/main/app-url.js';
import { serveRendererRequest } from '../../electron/main/renderer-files.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DIST_UI = join(ROOT, 'dist', 'ui');

interface IconFile {
  path: string;
  size: number;
  variant: 'full' | 'mac';
}
interface Pixels {
  width: number;
  height: number;
  data: Buffer;
}
const generator = (await import(pathToFileURL(join(ROOT, 'build', 'icon.mjs')).href)) as {
  ICON_FILES: readonly IconFile[];
  renderIcon(size: number, variant: IconFile['variant']): Pixels;
};
const { ICON_FILES, renderIcon } = generator;

const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];

function readPng(path: string): PNG {
  const bytes = readFileSync(join(ROOT, path));
  assert.ok(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), `${path}: not a PNG signature`);
  return PNG.sync.read(bytes, { checkCRC: true });
}

test('the generator writes the files electron-builder and the renderer use', () => {
  const byPath = new Map(ICON_FILES.map((f) => [f.path, f]));
  assert.deepEqual(byPath.get('build/icon.png'), { path: 'build/icon.png', size: 1024, variant: 'full' });
  assert.deepEqual(byPath.get('build/icon-mac.png'), { path: 'build/icon-mac.png', size: 1024, variant: 'mac' });
  for (const size of LINUX_SIZES) assert.equal(byPath.get(`build/icons/${size}x${size}.png`)?.size, size);
  assert.ok((byPath.get('renderer/public/icon.png')?.size ?? 0) >= 256, 'the window icon needs at least 256 px');
});

test('every icon file is an RGBA PNG of its size with real content: an opaque body on clear corners, in the icon\'s colours', () => {
  for (const { path, size, variant } of ICON_FILES) {
    assert.ok(existsSync(join(ROOT, path)), `${path} is missing: run node build/icon.mjs`);
    const png = readPng(path);
    assert.equal(png.width, size, `${path} width`);
    assert.equal(png.height, size, `${path} height`);
    const ihdr = readFileSync(join(ROOT, path)).subarray(8, 33);
    assert.equal(ihdr.toString('latin1', 4, 8), 'IHDR');
    assert.equal(ihdr[16], 8, `${path}: 8 bits per channel`);
    assert.equal(ihdr[17], 6, `${path}: RGBA`);

    const px = (x: number, y: number) => png.data.subarray((y * size + x) * 4, (y * size + x) * 4 + 4);
    let opaque = 0;
    let white = 0;
    let blue = 0;
    let gold = 0;
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b, a] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!, png.data[i + 3]!];
      if (a === 255) opaque++;
      if (a < 200) continue;
      colours.add(png.data.readUInt32BE(i));
      if (r > 225 && g > 225 && b > 225) white++; // the certificate
      else if (b > r + 80 && b > 150) blue++; // the background
      else if (r > 190 && g > 110 && b < 100) gold++; // the seal
    }
    const n = size * size;
    assert.ok(opaque / n > (variant === 'mac' ? 0.5 : 0.6), `${path}: only ${opaque} of ${n} pixels opaque`);
    assert.equal(px(0, 0)[3], 0, `${path}: the corner should be transparent (a rounded square)`);
    assert.equal(px(size - 1, size - 1)[3], 0, `${path}: the corner should be transparent`);
    assert.equal(px(size >> 1, size >> 1)[3], 255, `${path}: the centre should be opaque`);
    assert.ok(white / n > 0.12, `${path}: too little of the white certificate (${white} px)`);
    assert.ok(blue / n > 0.2, `${path}: too little blue background (${blue} px)`);
    assert.ok(gold / n > 0.015, `${path}: too little of the gold seal (${gold} px)`);
    assert.ok(colours.size >= Math.min(40, n / 8), `${path}: only ${colours.size} colours`);
  }
});

test('each file has exactly the pixels build/icon.mjs draws (after changing it, run node build/icon.mjs)', () => {
  // Pixels, not bytes: the drawing uses only exactly rounded arithmetic, but zlib's compressed output
  // may differ between Node releases.
  for (const { path, size, variant } of ICON_FILES) {
    const have = readPng(path);
    const want = renderIcon(size, variant);
    assert.equal(want.width, size);
    assert.ok(have.data.equals(want.data), `${path} differs from what build/icon.mjs draws: run node build/icon.mjs`);
  }
});

test('small sizes are drawn for their size: crisp edges, not a blurred copy of the large icon', () => {
  // At 16 px the card's top edge falls on a pixel boundary, so some row goes straight from blue to white.
  const png = readPng('build/icons/16x16.png');
  const col = 8;
  const lum = (y: number) => {
    const i = (y * 16 + col) * 4;
    return (png.data[i]! + png.data[i + 1]! + png.data[i + 2]!) / 3;
  };
  const steps = Array.from({ length: 15 }, (_, y) => lum(y + 1) - lum(y));
  assert.ok(Math.max(...steps) > 110, `no sharp blue-to-white step down the middle column: ${steps.map(Math.round).join(' ')}`);
});

test('the built renderer (dist/ui) serves the icon, and index.html links it', async () => {
  const source = readFileSync(join(ROOT, 'renderer', 'index.html'), 'utf8');
  assert.match(source, /<link rel="icon" type="image\/png" href="\/icon\.png"/, 'renderer/index.html should link /icon.png (Vite rewrites it to the base)');
  assert.ok(existsSync(join(DIST_UI, 'index.html')), 'dist/ui is not built: npm run build');
  const html = readFileSync(join(DIST_UI, 'index.html'), 'utf8');
  const links = [...html.matchAll(/<link\b[^>]*\brel="icon"[^>]*>/g)].map((m) => m[0]);
  assert.equal(links.length, 1, `one icon link in dist/ui/index.html: ${links.join(' ')}`);
  const href = /\bhref="([^"]+)"/.exec(links[0]!)?.[1];
  assert.ok(href, 'the icon link has an href');
  // Same origin (the CSP allows img-src 'self'), resolved the way the page resolves it.
  const url = new URL(href, `${APP_BASE}/index.html`);
  assert.equal(url.href, `${APP_BASE}/icon.png`);
  const icon = readFileSync(join(ROOT, 'renderer', 'public', 'icon.png'));
  assert.ok(existsSync(join(DIST_UI, 'icon.png')), 'dist/ui/icon.png is missing: npm run build');
  assert.ok(readFileSync(join(DIST_UI, 'icon.png')).equals(icon), 'dist/ui/icon.png is not renderer/public/icon.png: npm run build');
  // And answered by the app:// protocol handler's own code.
  const res = await serveRendererRequest(DIST_UI, new Request(url.href));
  assert.equal(res.status, 200, `the app:// handler answers ${res.status} for ${url.href}`);
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.ok(Buffer.from(await res.arrayBuffer()).equals(icon));
});
