// Seek and frame-step latency of renditions in real Chromium (driven by bench/player/run.py).
//   node scripts/bench-player.mjs BASE_URL '[{"name":"new","file":"new.mp4","fps":30}]' [steps]
// `steps` frame steps forward from 5 s, then `steps` seeks to spread-out positions, each
// rendition in turn at every step; each timed from setting currentTime to the `seeked`
// event and to the next presented frame (requestVideoFrameCallback).
import { chromium } from "@playwright/test";

const [base, specJson, stepsArg] = process.argv.slice(2);
const renditions = JSON.parse(specJson);
const steps = Number(stepsArg ?? 40);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--autoplay-policy=no-user-gesture-required"],
});
// All renditions in one page, measured in turn step by step (interleaved), so a machine
// whose load changes during the run slows each of them alike: the ratios hold.
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(`${base}/index.html`);
const results = await page.evaluate(
  async ({ renditions, steps }) => {
    const load = async (file) => {
      const v = document.createElement("video");
      v.muted = true;
      v.playsInline = true;
      v.preload = "auto";
      v.style.width = "480px";
      document.body.append(v);
      // The whole file in memory first (a blob URL): the figures are demuxing, decoding
      // and seeking, not the network.
      const blob = await (await fetch(file)).blob();
      await new Promise((resolve, reject) => {
        v.onloadeddata = resolve;
        v.onerror = () => reject(new Error(`cannot load ${file}`));
        v.src = URL.createObjectURL(blob);
      });
      return v;
    };
    // `seeked` always comes; the presented-frame callback too where the page composites
    // (given up after 2 s, reported as null, so a headless quirk cannot hang the run).
    const once = (v, target) =>
      new Promise((resolve) => {
        let seeked = null;
        let painted = null;
        const t0 = performance.now();
        const done = () => seeked !== null && painted !== null && resolve({ seeked: seeked - t0, painted: painted < 0 ? null : painted - t0 });
        v.addEventListener("seeked", () => ((seeked = performance.now()), done()), { once: true });
        v.requestVideoFrameCallback(() => ((painted = painted ?? performance.now()), done()));
        setTimeout(() => ((painted = painted ?? -1), done()), 2000);
        v.currentTime = target;
      });
    const videos = [];
    for (const r of renditions) videos.push({ ...r, v: await load(r.file), stepping: [], seeking: [] });
    const fps = renditions[0].fps;
    const frame = 1 / fps;
    let t = 5 + frame / 2; // the middle of a frame: each step lands on the next one
    for (const x of videos) await once(x.v, t);
    for (let i = 0; i < steps; i++) {
      t += frame;
      for (const x of videos) x.stepping.push(await once(x.v, t));
    }
    let x = 0.137;
    for (let i = 0; i < steps; i++) {
      x = (x * 9301 + 0.49297) % 1; // spread-out, repeatable positions
      for (const y of videos) y.seeking.push(await once(y.v, 0.5 + x * (y.v.duration - 1)));
    }
    return Object.fromEntries(videos.map((y) => [y.name, { duration: y.v.duration, stepping: y.stepping, seeking: y.seeking }]));
  },
  { renditions, steps },
);
await page.close();
await browser.close();
console.log(JSON.stringify(results));
