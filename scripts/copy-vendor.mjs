// Copy the browser builds of our npm dependencies into static/vendor/ (never from a CDN).
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

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
