// sharp-phash's hash stage (btd/sharp-phash index.js, MIT), restated for checking ikmeta's
// hash stage against Node: one image per input line as a JSON array of 1024 values data[32y + x],
// one 16-digit hex hash per output line. Used by Tests/PerceptualHashTests/NodeParityTests.swift
// and scripts/check-degenerate-phash.py.
const N = 32;
const SQRT = new Array(N);
for (let i = 1; i < N; i++) SQRT[i] = 1;
SQRT[0] = 1 / Math.sqrt(2.0);
const COS = new Array(N);
for (let k = 0; k < N; k++) {
  COS[k] = new Array(N);
  for (let n = 0; n < N; n++) COS[k][n] = Math.cos(((2 * k + 1) / (2.0 * N)) * n * Math.PI);
}
function phash(data) {
  const s = new Array(N);
  for (let x = 0; x < N; x++) {
    s[x] = new Array(N);
    for (let y = 0; y < N; y++) s[x][y] = data[N * y + x];
  }
  const F = new Array(N);
  for (let u = 0; u < N; u++) {
    F[u] = new Array(N);
    for (let v = 0; v < N; v++) {
      let sum = 0;
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) sum += COS[i][u] * COS[j][v] * s[i][j];
      sum *= (SQRT[u] * SQRT[v]) / 4;
      F[u][v] = sum;
    }
  }
  let totalSum = 0;
  for (let x = 0; x < 8; x++) for (let y = 0; y < 8; y++) totalSum += F[x + 1][y + 1];
  const avg = totalSum / 64;
  let bits = "";
  for (let x = 0; x < 8; x++) for (let y = 0; y < 8; y++) bits += F[x + 1][y + 1] > avg ? "1" : "0";
  return BigInt("0b" + bits).toString(16).padStart(16, "0");
}
const lines = require("fs").readFileSync(0, "utf8").split("\n").filter((l) => l.length > 0);
console.log(lines.map((l) => phash(JSON.parse(l))).join("\n"));
