#!/usr/bin/env node
/**
 * Draws the add-in's icons (assets/icon-<size>.png, 16–128 px) with zlib only: a blue rounded
 * square with a white phone receiver and a return arrow. Run again after changing the drawing.
 */
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const SIZES = [16, 32, 64, 80, 128];
const BLUE = [15, 108, 189];
const WHITE = [255, 255, 255];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** Coverage (0..1) of pixel (x, y) in an icon of size s, supersampled 4×4. */
function pixel(x, y, s) {
  let bg = 0;
  let fg = 0;
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      const u = (x + (i + 0.5) / 4) / s;
      const v = (y + (j + 0.5) / 4) / s;
      // Rounded square, corner radius 0.2.
      const r = 0.2;
      const dx = Math.max(r - u, 0, u - (1 - r));
      const dy = Math.max(r - v, 0, v - (1 - r));
      if (dx * dx + dy * dy > r * r) continue;
      bg++;
      // Receiver: a thick arc (ring segment) on the left, opening to the right.
      const cx = 0.5, cy = 0.5;
      const d = Math.hypot(u - cx, v - cy);
      const a = Math.atan2(v - cy, u - cx);
      const ring = d > 0.2 && d < 0.32 && Math.abs(a) > 1.9;
      // Arrow to the right: shaft and head.
      const shaft = u > 0.45 && u < 0.72 && Math.abs(v - 0.5) < 0.055;
      const head = u >= 0.66 && u < 0.86 && Math.abs(v - 0.5) < (0.86 - u) * 0.9;
      if (ring || shaft || head) fg++;
    }
  }
  return { bg: bg / 16, fg: fg / 16 };
}

function png(s) {
  const raw = Buffer.alloc((s * 4 + 1) * s);
  for (let y = 0; y < s; y++) {
    raw[y * (s * 4 + 1)] = 0;
    for (let x = 0; x < s; x++) {
      const { bg, fg } = pixel(x, y, s);
      const t = bg === 0 ? 0 : fg / bg;
      const o = y * (s * 4 + 1) + 1 + x * 4;
      for (let c = 0; c < 3; c++) raw[o + c] = Math.round(BLUE[c] * (1 - t) + WHITE[c] * t);
      raw[o + 3] = Math.round(bg * 255);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(s, 0);
  ihdr.writeUInt32BE(s, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const dir = path.resolve(__dirname, '..', 'assets');
for (const s of SIZES) fs.writeFileSync(path.join(dir, `icon-${s}.png`), png(s));
fs.copyFileSync(path.join(dir, 'icon-128.png'), path.join(dir, 'logo-filled.png'));
console.log(`wrote ${SIZES.map((s) => `icon-${s}.png`).join(', ')} and logo-filled.png to ${dir}`);
