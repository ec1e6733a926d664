// Copy the browser builds of our npm dependencies into static/vendor/ (never from a CDN), and
// draw the app's icons (static/icons/, build output, not committed) from static/img/terreau.svg.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Resvg } from "@resvg/resvg-js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const files = [
  ["node_modules/socket.io-client/dist/socket.io.min.js", "static/vendor/socket.io.min.js"],
  ["node_modules/socket.io-client/dist/socket.io.min.js.map", "static/vendor/socket.io.min.js.map"],
];
mkdirSync(join(root, "static/vendor"), { recursive: true });
for (const [from, to] of files) {
  copyFileSync(join(root, from), join(root, to));
  console.log(`vendor: ${to}`);
}

// Icons of the installable app (the manifest and the service worker name them).
const svg = readFileSync(join(root, "static/img/terreau.svg"), "utf8");
// A maskable icon fills its square: the logo sits inside the central safe zone (80 %).
const inner = svg.replace(/^<svg[^>]*>/, "").replace(/<\/svg>\s*$/, "");
const maskable =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40">' +
  `<rect width="40" height="40" fill="#2f6b3a"/><g transform="translate(4 4)">${inner}</g></svg>`;
const icons = [
  [svg, 192, "static/icons/terreau-192.png"],
  [svg, 512, "static/icons/terreau-512.png"],
  [maskable, 512, "static/icons/terreau-maskable-512.png"],
  [maskable, 180, "static/icons/apple-touch-icon.png"],
];
mkdirSync(join(root, "static/icons"), { recursive: true });
for (const [source, size, to] of icons) {
  const png = new Resvg(source, { fitTo: { mode: "width", value: size } }).render().asPng();
  writeFileSync(join(root, to), png);
  console.log(`icon: ${to} (${size} px)`);
}
