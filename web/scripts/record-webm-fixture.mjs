// Records tests/media/fixtures/chromium-mediarecorder.webm with real Chromium's
// MediaRecorder, the way the camera recorder does (VP9 + Opus, 1 s timeslices), from
// Chromium's fake camera and microphone. Such a WebM states no duration and has no cues.
//   cd web && node scripts/record-webm-fixture.mjs [out.webm] [seconds]
import { chromium } from "@playwright/test";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] ?? path.resolve(here, "../../tests/media/fixtures/chromium-mediarecorder.webm");
const seconds = Number(process.argv[3] ?? 3);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"],
});
// getUserMedia needs a secure context: a page served from 127.0.0.1 is one.
const server = createServer((_, res) => res.end("<!doctype html><title>record</title>"));
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${server.address().port}/`);
const bytes = await page.evaluate(async (ms) => {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true });
  const chunks = [];
  const rec = new MediaRecorder(stream, { mimeType: "video/webm;codecs=vp9,opus" });
  rec.ondataavailable = (e) => e.data.size && chunks.push(e.data);
  const stopped = new Promise((resolve) => (rec.onstop = resolve));
  rec.start(1000);
  await new Promise((resolve) => setTimeout(resolve, ms));
  rec.stop();
  await stopped;
  stream.getTracks().forEach((t) => t.stop());
  return Array.from(new Uint8Array(await new Blob(chunks).arrayBuffer()));
}, seconds * 1000);
await writeFile(out, Buffer.from(bytes));
console.log(`${out}: ${bytes.length} bytes`);
await browser.close();
server.close();
