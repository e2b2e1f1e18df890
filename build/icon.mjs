#!/usr/bin/env node
// CertDesk's application icon: the source is this file. A certificate (a white card with a frame, a
// title and text lines) with a gold seal and ribbons, on a blue rounded square. Every shape is a signed
// distance function in a 1024 x 1024 design space; each pixel is covered by 8 x 8 samples where an
// edge crosses it (one sample where none does), so edges are anti-aliased at every size. Only
// arithmetic, Math.sqrt and rounding are used (all exact or correctly rounded in IEEE 754; no trigonometry),
// so the pixels are the same on every machine and Node release.
//
// Small sizes are drawn for their size rather than scaled down: at 64 px and below the card's edges
// and text lines are snapped to whole pixels, and detail that would only blur (frame, shadows, the
// seal's ring and tick, all but the title line at 16 px) is left out.
//
// Usage: node build/icon.mjs           writes every file in ICON_FILES
//        node build/icon.mjs --check   exits 1 when a file is missing or its pixels differ
// test/tooling/icon.test.ts checks the committed files against this generator.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pngjs from 'pngjs';

const { PNG } = pngjs;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The files this script writes, relative to the project root. `full` fills the square but for a
 * small margin (Windows, Linux, the window icon); `mac` follows Apple's grid (an 824 px rounded square
 * centred on 1024 px, with a shadow), so the icon is not oversized in the Dock.
 * electron-builder (build/electron-builder.yml) takes `icon.png` for Windows (.ico), `icon-mac.png`
 * for macOS (.icns) and the `icons/` set for Linux; Vite copies `renderer/public/icon.png` to
 * dist/ui/icon.png (the window icon and the page's favicon).
 */
export const ICON_FILES = Object.freeze([
  { path: 'build/icon.png', size: 1024, variant: 'full' },
  { path: 'build/icon-mac.png', size: 1024, variant: 'mac' },
  ...[16, 24, 32, 48, 64, 128, 256, 512].map((size) => ({ path: `build/icons/${size}x${size}.png`, size, variant: 'full' })),
  { path: 'renderer/public/icon.png', size: 256, variant: 'full' },
]);

// ---- Shapes: signed distance in design units (negative inside) --------------------------------------

const len = (x, y) => Math.sqrt(x * x + y * y);
const clamp = (v, lo, hi) => (v < lo ? lo : v > hi ? hi : v);

function circle(cx, cy, r) {
  return (x, y) => len(x - cx, y - cy) - r;
}

function roundRect(x0, y0, x1, y1, r) {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const hw = (x1 - x0) / 2 - r;
  const hh = (y1 - y0) / 2 - r;
  return (x, y) => {
    const qx = Math.abs(x - cx) - hw;
    const qy = Math.abs(y - cy) - hh;
    return len(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
  };
}

/** A stroke of width 2r from a to b with round ends. */
function capsule(ax, ay, bx, by, r) {
  const ex = bx - ax;
  const ey = by - ay;
  const ee = ex * ex + ey * ey;
  return (x, y) => {
    const t = ee === 0 ? 0 : clamp(((x - ax) * ex + (y - ay) * ey) / ee, 0, 1);
    return len(x - ax - ex * t, y - ay - ey * t) - r;
  };
}

/** A polygon, convex or not (exact distance; sign by the crossing rule). */
function polygon(points) {
  return (x, y) => {
    let [px, py] = points[0];
    let d = (x - px) * (x - px) + (y - py) * (y - py);
    let s = 1;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [ix, iy] = points[i];
      const [jx, jy] = points[j];
      const ex = jx - ix;
      const ey = jy - iy;
      const wx = x - ix;
      const wy = y - iy;
      const t = clamp((wx * ex + wy * ey) / (ex * ex + ey * ey), 0, 1);
      const bx = wx - ex * t;
      const by = wy - ey * t;
      d = Math.min(d, bx * bx + by * by);
      const a = y >= iy;
      const b = y < jy;
      const c = ex * wy > ey * wx;
      if ((a && b && c) || (!a && !b && !c)) s = -s;
    }
    return s * Math.sqrt(d);
  };
}

function union(...shapes) {
  return (x, y) => {
    let d = Infinity;
    for (const f of shapes) d = Math.min(d, f(x, y));
    return d;
  };
}

/**
 * `shape`, known to lie within the circle (cx, cy, r): far from that circle the distance to the circle
 * stands in for the exact one (a lower bound, with the right sign), which spares the exact evaluation.
 */
function bounded(shape, cx, cy, r) {
  return (x, y) => {
    const d = len(x - cx, y - cy) - r;
    return d > FAR ? d : shape(x, y);
  };
}
/** Beyond every shadow's blur and every pixel's reach at 16 px. */
const FAR = 128;
const ring = (shape, half) => (x, y) => Math.abs(shape(x, y)) - half;
const moved = (shape, dx, dy) => (x, y) => shape(x - dx, y - dy);

// ---- Paint ------------------------------------------------------------------------------------------

/** '#rrggbb' or '#rrggbbaa' as [r, g, b, a], each 0..1. */
function rgba(hex) {
  const n = (i) => parseInt(hex.slice(i, i + 2), 16) / 255;
  return [n(1), n(3), n(5), hex.length > 7 ? n(7) : 1];
}

const solid = (hex) => {
  const c = rgba(hex);
  return () => c;
};

/** A vertical gradient from c0 at y0 to c1 at y1. */
function vertical(y0, hex0, y1, hex1) {
  const [r0, g0, b0, a0] = rgba(hex0);
  const [r1, g1, b1, a1] = rgba(hex1);
  return (_x, y) => {
    const t = clamp((y - y0) / (y1 - y0), 0, 1);
    return [r0 + (r1 - r0) * t, g0 + (g1 - g0) * t, b0 + (b1 - b0) * t, a0 + (a1 - a0) * t];
  };
}

// ---- The scene --------------------------------------------------------------------------------------

const SEAL = { cx: 688, cy: 636 };

/**
 * The layers of the icon drawn at `size` px, back to front. A layer is { shape, paint } (inside where
 * shape < 0) or { shape, paint, blur, clip? } (a soft shadow, fading over `blur` design units either
 * side of the shape's edge, and only inside the `clip` shape when there is one).
 */
function scene(size) {
  const unit = 1024 / size;
  // Pixel-snapping for small sizes: the card and its lines land on whole pixels.
  const snap = size <= 64 ? (v) => Math.round(v / unit) * unit : (v) => v;
  const detail = size <= 16 ? 0 : size <= 32 ? 1 : size <= 48 ? 2 : 3;
  const layers = [];

  // The blue rounded square; shadows are clipped to it.
  const m = snap(64);
  const square = roundRect(m, m, 1024 - m, 1024 - m, 200);
  layers.push({ shape: square, paint: vertical(64, '#3a86f0', 960, '#1643a8') });

  // The certificate card.
  const card = { x0: snap(176), y0: snap(216), x1: snap(848), y1: snap(696) };
  const cardShape = roundRect(card.x0, card.y0, card.x1, card.y1, size <= 16 ? 24 : 44);
  if (detail >= 2) layers.push({ shape: moved(cardShape, 0, 26), blur: 34, clip: square, paint: solid('#061a4a70') });
  layers.push({ shape: cardShape, paint: vertical(card.y0, '#ffffff', card.y1, '#e6eefa') });
  if (detail >= 3) {
    // The ornamental frame of a printed certificate.
    layers.push({ shape: ring(roundRect(card.x0 + 36, card.y0 + 36, card.x1 - 36, card.y1 - 36, 20), 5), paint: solid('#c3d4ef') });
  }

  // Title and text lines. Below 64 px each line is a whole number of pixels thick, on whole pixels.
  const line = (x0, x1, y, half, hex) => {
    if (size > 64) return { shape: capsule(x0 + half, y, x1 - half, y, half), paint: solid(hex) };
    const h = Math.max(unit, snap(2 * half));
    const top = snap(y - h / 2);
    return { shape: roundRect(snap(x0), top, snap(x1), top + h, Math.min(h / 2, 12)), paint: solid(hex) };
  };
  if (detail === 0) {
    layers.push(line(256, 640, 352, 32, '#1f5fc4'));
  } else {
    layers.push(line(272, 752, 320, 26, '#1f5fc4'));
    layers.push(line(272, 752, 416, 15, '#a9bfe2'));
    if (detail >= 2) layers.push(line(272, 496, 496, 15, '#a9bfe2'));
  }

  // The seal: ribbons behind a scalloped gold rosette.
  const { cx, cy } = SEAL;
  const tail = (dir) => {
    // From behind the seal, down and outwards, ending in a V notch.
    const top = [cx + dir * 18, cy + 40];
    const end = [cx + dir * 88, cy + 242];
    const dx = end[0] - top[0];
    const dy = end[1] - top[1];
    const l = len(dx, dy);
    const nx = (-dy / l) * 46;
    const ny = (dx / l) * 46;
    const notch = [end[0] - (dx / l) * 46, end[1] - (dy / l) * 46];
    return polygon([
      [top[0] - nx, top[1] - ny],
      [top[0] + nx, top[1] + ny],
      [end[0] + nx, end[1] + ny],
      notch,
      [end[0] - nx, end[1] - ny],
    ]);
  };
  const ribbons = bounded(union(tail(-1), tail(1)), cx, cy + 150, 180);
  // 16 scallops round the disc. cos and sin of multiples of 22.5 degrees from square roots alone.
  const c1 = Math.sqrt((1 + Math.SQRT1_2) / 2); // cos 22.5
  const s1 = Math.sqrt((1 - Math.SQRT1_2) / 2); // sin 22.5
  const dirs = [];
  for (const [a, b] of [[1, 0], [c1, s1], [Math.SQRT1_2, Math.SQRT1_2], [s1, c1]]) {
    dirs.push([a, b], [-b, a], [-a, -b], [b, -a]);
  }
  const R = 128;
  const rosette = bounded(union(circle(cx, cy, R), ...dirs.map(([a, b]) => circle(cx + a * R, cy + b * R, 30))), cx, cy, R + 30);
  if (detail >= 2) layers.push({ shape: moved(union(rosette, ribbons), 0, 18), blur: 26, clip: square, paint: solid('#0a245c55') });
  layers.push({ shape: ribbons, paint: vertical(cy, '#d9901a', cy + 242, '#b86a08') });
  // Below 48 px the scallops blur into the disc and a pale top would melt into the card: a plain disc
  // in a deeper gold.
  if (detail >= 2) layers.push({ shape: rosette, paint: vertical(cy - 158, '#ffd45c', cy + 158, '#eba21c') });
  else layers.push({ shape: circle(cx, cy, R + 16), paint: vertical(cy - 144, '#fbbf2e', cy + 144, '#e0900e') });
  if (detail >= 2) {
    layers.push({ shape: circle(cx, cy, 100), paint: vertical(cy - 100, '#f0a81e', cy + 100, '#d98a0c') });
  }
  if (detail >= 3) {
    layers.push({ shape: ring(circle(cx, cy, 100), 5), paint: solid('#fff0c2') });
    // The tick: a certificate that checks out.
    const tick = bounded(union(capsule(cx - 50, cy + 2, cx - 14, cy + 38, 17), capsule(cx - 14, cy + 38, cx + 52, cy - 34, 17)), cx, cy, 100);
    layers.push({ shape: tick, paint: solid('#ffffff') });
  }
  return layers;
}

/** The mac variant: the same layers scaled into Apple's 824 px grid, over a soft shadow. */
function macScene(size) {
  const k = 824 / 896;
  const to = (v) => (v - 512) / k + 512;
  const layers = scene(size).map(({ shape, paint, blur, clip }) => ({
    shape: (x, y) => shape(to(x), to(y)) * k,
    paint: (x, y) => paint(to(x), to(y)),
    blur: blur === undefined ? undefined : blur * k,
    clip: clip === undefined ? undefined : (x, y) => clip(to(x), to(y)) * k,
  }));
  return [{ shape: roundRect(100, 112, 924, 936, 184), blur: 22, paint: solid('#00000050') }, ...layers];
}

// ---- Rendering --------------------------------------------------------------------------------------

const SAMPLES = 8;

function coverage(layer, x, y) {
  const d = layer.shape(x, y);
  if (layer.blur === undefined) return d < 0 ? 1 : 0;
  if (d >= layer.blur || (layer.clip !== undefined && layer.clip(x, y) >= 0)) return 0;
  // smoothstep from inside (1) to outside (0) over [-blur, blur].
  const t = clamp((d + layer.blur) / (2 * layer.blur), 0, 1);
  return 1 - t * t * (3 - 2 * t);
}

/**
 * The icon as RGBA pixels (straight alpha), `size` x `size`.
 * @param {number} size
 * @param {'full' | 'mac'} variant
 * @returns {{ width: number, height: number, data: Buffer }}
 */
export function renderIcon(size, variant = 'full') {
  const layers = variant === 'mac' ? macScene(size) : scene(size);
  const unit = 1024 / size;
  // A hard edge closer than this to a pixel's centre may cross the pixel.
  const reach = unit * 0.75;
  const data = Buffer.alloc(size * size * 4);
  const acc = [0, 0, 0, 0];
  const sample = (x, y, weight) => {
    // Premultiplied "over", back to front.
    let r = 0;
    let g = 0;
    let b = 0;
    let a = 0;
    for (const layer of layers) {
      const c = coverage(layer, x, y);
      if (c === 0) continue;
      const p = layer.paint(x, y);
      const pa = p[3] * c;
      r = p[0] * pa + r * (1 - pa);
      g = p[1] * pa + g * (1 - pa);
      b = p[2] * pa + b * (1 - pa);
      a = pa + a * (1 - pa);
    }
    acc[0] += r * weight;
    acc[1] += g * weight;
    acc[2] += b * weight;
    acc[3] += a * weight;
  };
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      acc.fill(0);
      const x = (px + 0.5) * unit;
      const y = (py + 0.5) * unit;
      const edge = layers.some((l) => l.blur === undefined && Math.abs(l.shape(x, y)) < reach);
      if (!edge) {
        sample(x, y, 1);
      } else {
        const w = 1 / (SAMPLES * SAMPLES);
        for (let sy = 0; sy < SAMPLES; sy++) {
          for (let sx = 0; sx < SAMPLES; sx++) sample((px + (sx + 0.5) / SAMPLES) * unit, (py + (sy + 0.5) / SAMPLES) * unit, w);
        }
      }
      const o = (py * size + px) * 4;
      const a = acc[3];
      const byte = (v) => clamp(Math.round(v * 255), 0, 255);
      data[o] = a > 0 ? byte(acc[0] / a) : 0;
      data[o + 1] = a > 0 ? byte(acc[1] / a) : 0;
      data[o + 2] = a > 0 ? byte(acc[2] / a) : 0;
      data[o + 3] = byte(a);
    }
  }
  return { width: size, height: size, data };
}

/** The icon as PNG bytes (8-bit RGBA). */
export function iconPng(size, variant = 'full') {
  const { width, height, data } = renderIcon(size, variant);
  const png = new PNG({ width, height, colorType: 6, inputColorType: 6, bitDepth: 8 });
  data.copy(png.data);
  return PNG.sync.write(png, { colorType: 6, inputColorType: 6, deflateLevel: 9 });
}

/** Pixels of a committed file, or null when it is missing or not a PNG. */
function pixelsOf(file) {
  try {
    const png = PNG.sync.read(readFileSync(file));
    return { width: png.width, height: png.height, data: png.data };
  } catch {
    return null;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const { path, size, variant } of ICON_FILES) {
    const file = join(ROOT, path);
    if (check) {
      const want = renderIcon(size, variant);
      const have = pixelsOf(file);
      if (!have || have.width !== size || have.height !== size || !have.data.equals(want.data)) {
        console.error(`${path} is missing or out of date: run node build/icon.mjs`);
        stale++;
      }
    } else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, iconPng(size, variant));
      console.log(`wrote ${path} (${size} x ${size}, ${variant})`);
    }
  }
  process.exit(stale ? 1 : 0);
}
