// The coach's review toolkit against the seeded demo (Leo's goblet squat): measuring tools
// on the paused frame, two videos lined up at sync points (side by side, overlay, swipe)
// with the view saved for the learner, zoom and pan (wheel and drag, a two-finger pinch on
// a phone), and the feedback exported from the thread screen as CSV, JSON and WebVTT.
import { expect, test, type Browser, type BrowserContextOptions, type Locator, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = path.resolve(here, "../../docs/screenshots");
const clips = path.resolve(here, "../.e2e/clips");
const COACH = { email: "coach@practika.test", password: "practika-demo" };
const LEARNER = { email: "learner@practika.test", password: "practika-demo" };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, acceptDownloads: true };
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

interface Attempt {
  id: string;
  video: { id: string; status: string };
}

async function signedIn(browser: Browser, who: typeof COACH, options: BrowserContextOptions = DESKTOP): Promise<Page> {
  const page = await (await browser.newContext(options)).newPage();
  await page.goto("/signin");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/signin/);
  return page;
}

async function squatThread(page: Page): Promise<string> {
  const threads = await (await page.request.get("/api/v1/threads?limit=100")).json();
  return threads.items.find((t: { exercise: { title: string } }) => t.exercise.title === "Goblet squat").id as string;
}

async function attempts(page: Page, threadId: string): Promise<Attempt[]> {
  return (await (await page.request.get(`/api/v1/threads/${threadId}/attempts?limit=100`)).json()).items as Attempt[];
}

const player = (page: Page) => page.getByTestId("player");
const compared = (page: Page) => page.locator("video[aria-label='Compared video']");
const timeOf = (v: Locator) => v.evaluate((el: HTMLVideoElement) => el.currentTime);
const ready = (v: Locator) => expect.poll(() => v.evaluate((el: HTMLVideoElement) => el.readyState), { timeout: 60_000 }).toBeGreaterThan(1);

async function openReview(page: Page, threadId: string, attemptId: string) {
  await page.goto(`/threads/${threadId}/review/${attemptId}`);
  await ready(player(page));
}

async function seekTo(page: Page, seconds: number) {
  await player(page).evaluate((v: HTMLVideoElement, s: number) => {
    v.pause();
    v.currentTime = s;
  }, seconds);
  await expect.poll(() => player(page).evaluate((v: HTMLVideoElement) => !v.seeking && v.readyState > 1)).toBe(true);
}

/** A point of the measuring canvas, as fractions of the picture. */
async function at(layer: Locator, x: number, y: number): Promise<[number, number]> {
  const box = (await layer.boundingBox())!;
  return [box.x + x * box.width, box.y + y * box.height];
}

async function download(page: Page, button: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: button }).click()]);
  return readFileSync((await file.path())!, "utf8");
}

test("zoom with the wheel and pan by dragging, kept while stepping, drawings on their pixels", async ({ browser }) => {
  const page = await signedIn(browser, LEARNER);
  const threadId = await squatThread(page);
  await openReview(page, threadId, (await attempts(page, threadId)).at(-1)!.id);
  await seekTo(page, 13); // inside the seeded comment's drawing range
  const drawing = page.getByRole("img", { name: "Drawing of 1 shape" });
  await expect(drawing).toBeVisible();
  const zoomBox = page.getByTestId("zoom-box");
  const box = (await zoomBox.boundingBox())!;
  const relative = async () => {
    const [d, v] = [(await drawing.boundingBox())!, (await player(page).boundingBox())!];
    return { x: (d.x - v.x) / v.width, y: (d.y - v.y) / v.height, w: d.width / v.width, h: d.height / v.height };
  };
  const unzoomed = await relative();

  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.4);
  await page.mouse.wheel(0, -400);
  await expect.poll(async () => Number(await zoomBox.getAttribute("data-scale"))).toBeGreaterThan(1.5);
  const scale = Number(await zoomBox.getAttribute("data-scale"));
  expect((await player(page).boundingBox())!.width).toBeCloseTo(box.width * scale, -1);
  await expect(page.getByTestId("zoom-level")).toHaveText(`${Math.round(scale * 100)}%`);

  // A drag pans (and is not a click that plays the video).
  const shifted = await player(page).boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.55, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await player(page).boundingBox())!.x).toBeGreaterThan(shifted!.x + 10);
  expect(await player(page).evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);

  // Stepping keeps the zoom; the drawing keeps its place on the picture.
  await page.getByRole("button", { name: "Next frame" }).click();
  await page.getByRole("button", { name: "Previous frame" }).click();
  expect(Number(await zoomBox.getAttribute("data-scale"))).toBe(scale);
  const zoomed = await relative();
  for (const k of ["x", "y", "w", "h"] as const) expect(zoomed[k]).toBeCloseTo(unzoomed[k], 2);
  await page.getByRole("button", { name: "Fit" }).click();
  await expect(zoomBox).toHaveAttribute("data-scale", "1.000");
  await page.context().close();
});

test("a two-finger pinch zooms the picture on a phone", async ({ browser }) => {
  const page = await signedIn(browser, LEARNER, PHONE);
  const threadId = await squatThread(page);
  await openReview(page, threadId, (await attempts(page, threadId)).at(-1)!.id);
  const zoomBox = page.getByTestId("zoom-box");
  await zoomBox.scrollIntoViewIfNeeded();
  const box = (await zoomBox.boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const cdp = await page.context().newCDPSession(page);
  const fingers = (d: number) => [
    { x: cx - d, y: cy, id: 1 },
    { x: cx + d, y: cy, id: 2 },
  ];
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: fingers(20) });
  for (let d = 25; d <= 90; d += 5) await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: fingers(d) });
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await expect.poll(async () => Number(await zoomBox.getAttribute("data-scale"))).toBeGreaterThan(2);
  await page.context().close();
});

test("angle, line, ruler and stopwatch are read live, saved with the comment, shown alike in the player and the list, and exported", async ({
  browser,
}) => {
  const page = await signedIn(browser, COACH);
  const threadId = await squatThread(page);
  const attempt = (await attempts(page, threadId)).at(-1)!;
  await openReview(page, threadId, attempt.id);
  await seekTo(page, 3);
  await page.getByRole("button", { name: "Measure" }).click();
  const tools = page.getByRole("toolbar", { name: "Measuring tools" });
  const live = page.getByTestId("measure-live");
  const layer = page.getByRole("img", { name: "Measuring with the angle tool" });
  await expect(tools).toBeVisible();

  // Angle: three taps, the reading follows the pointer before the third.
  await page.mouse.click(...(await at(layer, 0.5, 0.15)));
  await page.mouse.click(...(await at(layer, 0.5, 0.55)));
  await page.mouse.move(...(await at(layer, 0.85, 0.55)));
  await expect(live).toHaveText("90.0°");
  await page.mouse.move(...(await at(layer, 0.85, 0.2)));
  await expect(live).not.toHaveText("90.0°");
  await page.mouse.click(...(await at(layer, 0.85, 0.55)));
  const readings = page.getByRole("list", { name: "Measures on this comment" });
  await expect(readings).toContainText("Angle: 90.0°");
  await page.screenshot({ path: `${shots}/review-angle.png` });

  // Line (a drag), then a ruler calibrated to 1 m that sets the line's length.
  await tools.getByRole("button", { name: "Line", exact: true }).click();
  const lineLayer = page.getByRole("img", { name: "Measuring with the line tool" });
  await page.mouse.move(...(await at(lineLayer, 0.1, 0.8)));
  await page.mouse.down();
  await page.mouse.move(...(await at(lineLayer, 0.3, 0.8)), { steps: 4 });
  await page.mouse.move(...(await at(lineLayer, 0.5, 0.8)), { steps: 4 });
  await page.mouse.up();
  await expect(readings).toContainText("Line: 0.0° from level");
  await tools.getByRole("button", { name: "Ruler", exact: true }).click();
  const rulerLayer = page.getByRole("img", { name: "Measuring with the ruler tool" });
  await page.mouse.click(...(await at(rulerLayer, 0.1, 0.9)));
  await page.mouse.click(...(await at(rulerLayer, 0.3, 0.9)));
  await expect(readings).toContainText("Ruler: ruler: set its length");
  await page.getByLabel("Ruler length in metres").fill("1");
  await tools.getByRole("button", { name: "Set" }).click();
  await expect(readings).toContainText("Ruler: 1.00 m (ruler)");
  await expect(readings).toContainText("Line: 2.00 m · 0.0° from level");

  // Stopwatch: start on this frame, eight frames on, stop: the time is 8 frames' worth.
  const fps = (await (await page.request.get(`/api/v1/videos/${attempt.video.id}`)).json()).fps as number;
  const ms = Math.round(3000 + (8 * 1000) / fps) - 3000;
  const watch = `${ms} ms · 8 frames`;
  await tools.getByRole("button", { name: "Stopwatch" }).click();
  await tools.getByRole("button", { name: "Start", exact: true }).click();
  for (let i = 0; i < 8; i++) await page.getByRole("button", { name: "Next frame" }).click();
  await expect(live).toHaveText(watch);
  await tools.getByRole("button", { name: "Stop", exact: true }).click();
  await expect(readings).toContainText(`Stopwatch: ${watch}`);
  await tools.getByRole("button", { name: "Done" }).click();

  await seekTo(page, 3);
  await page.getByLabel("Comment", { exact: true }).fill("Knee angle at the bottom");
  await page.getByRole("button", { name: "Post comment" }).click();
  const item = page.getByTestId("comments").locator("li", { hasText: "Knee angle at the bottom" });
  await expect(item).toContainText("Angle 90.0°");
  await expect(item).toContainText("Line 2.00 m · 0.0° from level");
  await expect(item).toContainText(`Stopwatch ${watch}`);

  // Saved as sent, in normalised coordinates, and painted on the picture at its moment.
  const saved = (await (await page.request.get(`/api/v1/threads/${threadId}/comments?limit=100`)).json()).items.find(
    (c: { body: string }) => c.body === "Knee angle at the bottom",
  );
  expect(saved.drawing.measures.map((m: { type: string }) => m.type)).toEqual(["angle", "line", "ruler", "stopwatch"]);
  expect(saved.drawing.measures[0].points[1][0]).toBeCloseTo(0.5, 2);
  expect(saved.drawing.measures[3].end_ms - saved.drawing.measures[3].start_ms).toBe(ms);
  await seekTo(page, 5);
  await seekTo(page, 3);
  const shown = page.getByRole("img", { name: "4 measures" });
  await expect(shown).toBeVisible();
  // The angle's vertex, in the tool's yellow, where it was placed.
  const vertex = await shown.evaluate((c: HTMLCanvasElement) => {
    const [r, g, b] = c.getContext("2d")!.getImageData(Math.round(c.width * 0.5), Math.round(c.height * 0.55), 1, 1).data;
    return { r, g, b };
  });
  expect(vertex.r).toBeGreaterThan(200);
  expect(vertex.g).toBeGreaterThan(170);
  expect(vertex.b).toBeLessThan(90);

  // Exported from the thread screen, this attempt alone, as CSV, JSON and captions.
  await page.goto(`/threads/${threadId}`);
  await page.getByLabel("Feedback to export").selectOption(attempt.video.id);
  const csv = await download(page, "CSV");
  expect(csv.split("\r\n")[0]).toContain("start,end,t_start_ms");
  const row = csv.split("\r\n").find((line) => line.includes("Knee angle at the bottom"))!;
  expect(row).toContain("00:00:03.000");
  expect(row).toContain(`90.0°; 2.00 m · 0.0° from level; 1.00 m (ruler); ${watch}`);
  const json = JSON.parse(await download(page, "JSON"));
  const exported = json.comments.find((c: { text: string }) => c.text === "Knee angle at the bottom");
  expect(exported.tools).toEqual(["90.0°", "2.00 m · 0.0° from level", "1.00 m (ruler)", watch]);
  expect(exported.measures).toEqual(saved.drawing.measures);
  const vtt = await download(page, "Captions (WebVTT)");
  expect(vtt.startsWith("WEBVTT")).toBe(true);
  expect(vtt).toMatch(/00:00:03\.000 --> 00:00:04\.000\n[^\n]*Ana[^\n]*: Knee angle at the bottom\n90\.0° · 2\.00 m/);
  await page.context().close();
});

test("two attempts lined up at sync points play, step and scrub together; overlay and swipe; the view is saved for the learner", async ({
  browser,
}) => {
  test.setTimeout(660_000);
  // A second attempt of the thread, so the compare is attempt against attempt.
  const learner = await signedIn(browser, LEARNER);
  const threadId = await squatThread(learner);
  const before = (await attempts(learner, threadId)).length;
  await learner.goto(`/threads/${threadId}`);
  await learner.locator('input[type="file"]').setInputFiles(path.join(clips, "attempt.mp4"));
  await expect(learner.getByText("The video is uploaded")).toBeVisible({ timeout: 60_000 });
  await learner.getByRole("button", { name: "Send to your coach" }).click();
  // The embedded worker may still be analysing the demo's videos: processing can queue.
  await expect
    .poll(async () => (await attempts(learner, threadId)).filter((a) => a.video.status === "ready").length, { timeout: 420_000 })
    .toBe(before + 1);
  const all = await attempts(learner, threadId); // newest first
  const [newest, first] = [all[0], all.at(-1)!];

  const page = await signedIn(browser, COACH);
  await openReview(page, threadId, first.id);
  await page.getByRole("button", { name: "Line up with another video" }).click();
  const panel = page.getByRole("region", { name: "Compare" });
  await panel.getByLabel("Compare with").selectOption(newest.video.id);
  await ready(compared(page));

  // Sync points: this attempt at 0:04.0 is the other at 0:02.0.
  await panel.getByRole("button", { name: "Pick sync points" }).click();
  await seekTo(page, 4);
  await panel.getByLabel("Compared video position").fill("2000");
  await expect(panel.getByTestId("compared-time")).toHaveText("0:02.0");
  await panel.getByRole("button", { name: "Line up here" }).click();
  await expect(panel.getByTestId("sync-state")).toContainText("Locked: 0:04.0 here = 0:02.0 there");

  // Scrub, step, play: the other keeps two seconds behind.
  await seekTo(page, 5);
  await expect.poll(() => timeOf(compared(page))).toBeCloseTo(3, 1);
  await page.getByRole("button", { name: "Next frame" }).click();
  const stepped = await timeOf(player(page));
  await expect.poll(() => timeOf(compared(page))).toBeCloseTo(stepped - 2, 2);
  await player(page).evaluate((v: HTMLVideoElement) => v.play());
  await expect.poll(() => compared(page).evaluate((v: HTMLVideoElement) => !v.paused)).toBe(true);
  await expect.poll(() => timeOf(player(page))).toBeGreaterThan(stepped + 0.5);
  await player(page).evaluate((v: HTMLVideoElement) => v.pause());
  await expect.poll(() => compared(page).evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);
  // Paused, it sits exactly two seconds behind (or waits at its end, the clip is shorter).
  const end = await compared(page).evaluate((v: HTMLVideoElement) => v.duration);
  await expect
    .poll(async () => Math.min((await timeOf(player(page))) - 2, end) - (await timeOf(compared(page))))
    .toBeCloseTo(0, 1);
  await seekTo(page, 5);

  // Overlay: the other video over this one, blended at the chosen opacity.
  await panel.getByRole("radio", { name: "Overlay" }).check();
  await ready(compared(page));
  await expect(compared(page)).toHaveAttribute("data-mode", "overlay");
  await panel.getByLabel("Overlay opacity").fill("0.35");
  await expect.poll(() => compared(page).evaluate((v: HTMLVideoElement) => v.style.opacity)).toBe("0.35");
  const [main, over] = [(await player(page).boundingBox())!, (await compared(page).boundingBox())!];
  expect(Math.abs(main.x - over.x) + Math.abs(main.width - over.width)).toBeLessThan(2);
  await expect.poll(async () => (await timeOf(player(page))) - (await timeOf(compared(page)))).toBeCloseTo(2, 1);
  await page.evaluate(() => window.scrollTo(0, 0)); // the picture whole, the panel under it
  await page.screenshot({ path: `${shots}/review-overlay-compare.png` });

  // Swipe, top and bottom: the other shows above the line only.
  await panel.getByRole("radio", { name: "Swipe" }).check();
  await panel.getByLabel("Swipe direction").selectOption("vertical");
  await panel.getByLabel("Swipe position").fill("0.3");
  await expect.poll(() => compared(page).evaluate((v: HTMLVideoElement) => v.style.clipPath)).toMatch(/^inset\(0(px)? 0(px)? 70(\.0)?%/);

  // Saved with a comment: the learner opens the same view.
  await panel.getByRole("radio", { name: "Overlay" }).check();
  await panel.getByLabel("Save this compare view with my comment").check();
  await page.getByLabel("Comment", { exact: true }).fill("Compare your depth now and then");
  await page.getByRole("button", { name: "Post comment" }).click();
  await expect(page.getByTestId("comments")).toContainText("Compare view: overlay");
  await page.context().close();

  await openReview(learner, threadId, first.id);
  await learner.getByTestId("comments").locator("li", { hasText: "Compare your depth" }).getByRole("button").first().click();
  const learnerPanel = learner.getByRole("region", { name: "Compare" });
  await expect(learnerPanel.getByTestId("sync-state")).toContainText("Locked: 0:04.0 here = 0:02.0 there");
  await expect(learnerPanel.getByLabel("Compare with")).toHaveValue(newest.video.id);
  await expect(learnerPanel.getByRole("radio", { name: "Overlay" })).toBeChecked();
  await ready(compared(learner));
  await expect.poll(() => compared(learner).evaluate((v: HTMLVideoElement) => v.style.opacity)).toBe("0.35");
  await expect.poll(async () => (await timeOf(player(learner))) - (await timeOf(compared(learner)))).toBeCloseTo(2, 1);
  await learner.context().close();
});

