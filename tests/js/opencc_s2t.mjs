// Reads a JSON list of strings on stdin, writes them converted by OpenCC (opencc-js, cn → t).
import { fileURLToPath } from "node:url";
import path from "node:path";
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const OpenCC = await import(path.join(root, "node_modules/opencc-js/dist/esm/full.js"));
const convert = OpenCC.Converter({ from: "cn", to: "t" });
let input = "";
process.stdin.on("data", (d) => { input += d; });
process.stdin.on("end", () => { process.stdout.write(JSON.stringify(JSON.parse(input).map(convert))); });
