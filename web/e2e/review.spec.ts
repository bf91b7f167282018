// The review loop as a learner lives it, against the seeded demo (Leo's goblet squat with
// Coach Ana's drawn reply at 0:12.4–0:14.8): recording in the browser with the camera,
// renewed playback URLs (the e2e server hands out 30 s URLs), keyboard shortcuts wherever
// the focus is, drawings tied to the playhead.
import { expect, test, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
// Screens to look at after a run (test-results/ is emptied by every run; .e2e/ by the server).
const checks = path.resolve(here, "../.e2e/shots");
const shots = path.resolve(here, "../../docs/screenshots");
const LEARNER = { email: "learner@practika.test", password: "practika-demo" };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

interface Attempt {
  id: string;
  video: { id: string };
}

async function signedIn(browser: Browser, options: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext({ ...options, permissions: ["camera", "microphone"] });
  const page = await context.newPage();
  await page.goto("/signin");
  await page.getByLabel("Email").fill(LEARNER.email);
  await page.getByLabel("Password").fill(LEARNER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Exercise library" })).toBeVisible();
  return page;
}

async function squatThread(page: Page): Promise<string> {
  const threads = await (await page.request.get("/api/v1/threads?limit=100")).json();
  const thread = threads.items.find((t: { exercise: { title: string } }) => t.exercise.title === "Goblet squat");
  return thread.id as string;
}

async function attempts(page: Page, threadId: string): Promise<Attempt[]> {
  const body = await (await page.request.get(`/api/v1/threads/${threadId}/attempts?limit=100`)).json();
  return body.items as Attempt[];
}

const video = (page: Page) => page.getByTestId("player");
/** The reviewed attempt's video id, from the attempt the page shows. */
async function videoId(page: Page): Promise<string> {
  const attemptId = new URL(page.url()).pathname.split("/").pop()!;
  return (await (await page.request.get(`/api/v1/attempts/${attemptId}`)).json()).video.id as string;
}
const time = (page: Page) => video(page).evaluate((v: HTMLVideoElement) => v.currentTime);

/** Opens the review of the seeded attempt (the oldest of the thread), its video loaded. */
async function openSeededReview(page: Page): Promise<string> {
  const threadId = await squatThread(page);
  const first = (await attempts(page, threadId)).at(-1)!;
  await page.goto(`/threads/${threadId}/review/${first.id}`);
  await expect.poll(() => video(page).evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 30_000 }).toBeGreaterThan(1);
  return threadId;
}

/** Seeks the way the app does, and waits for the frame to be there. */
async function seekTo(page: Page, seconds: number) {
  await video(page).evaluate((v: HTMLVideoElement, s: number) => {
    v.pause();
    v.currentTime = s;
  }, seconds);
  await expect.poll(() => video(page).evaluate((v: HTMLVideoElement) => !v.seeking && v.readyState > 1)).toBe(true);
}

for (const [name, options] of [
  ["desktop", DESKTOP],
  ["phone", PHONE],
] as const) {
  test(`a learner records an attempt with the camera on ${name}; it becomes a playable video of the right length`, async ({ browser }) => {
    const page = await signedIn(browser, options);
    const threadId = await squatThread(page);
    const before = (await attempts(page, threadId)).length;
    await page.goto(`/threads/${threadId}`);
    await page.getByRole("button", { name: "Record with camera" }).click();
    const preview = page.locator(".recorder video");
    await expect.poll(() => preview.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThan(1);
    await page.getByRole("button", { name: "Start recording" }).click();
    await expect(page.getByRole("button", { name: "Stop and upload" })).toBeVisible();
    await page.screenshot({ path: `${checks}/recording-${name}.png` });
    await expect(page.getByTestId("recording-time")).toHaveText(/0:0[3-9]/, { timeout: 30_000 });
    await page.getByRole("button", { name: "Stop and upload" }).click();
    // The attempt goes to the coach with its notes when the learner sends it.
    await page.getByRole("button", { name: "Send to your coach" }).click();

    // Uploaded, then processed by the real pipeline: it must end `ready`, not `failed`.
    await expect.poll(async () => (await attempts(page, threadId)).length, { timeout: 60_000 }).toBe(before + 1);
    const recorded = (await attempts(page, threadId))[0];
    await expect
      .poll(async () => (await (await page.request.get(`/api/v1/videos/${recorded.video.id}`)).json()).status, { timeout: 90_000 })
      .toBe("ready");
    const facts = await (await page.request.get(`/api/v1/videos/${recorded.video.id}`)).json();
    expect(facts.container).toBe("webm");
    expect(facts.duration_ms).toBeGreaterThan(2000);
    expect(facts.duration_ms).toBeLessThan(8000);

    await page.goto(`/threads/${threadId}/review/${recorded.id}`);
    await expect.poll(() => video(page).evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 30_000 }).toBeGreaterThan(1);
    const played = await video(page).evaluate((v: HTMLVideoElement) => ({ duration: v.duration, seekable: v.seekable.length ? v.seekable.end(0) : 0 }));
    expect(Math.abs(played.duration * 1000 - facts.duration_ms)).toBeLessThan(150); // a finite, right duration
    expect(played.seekable).toBeGreaterThan(2);
    await seekTo(page, 1.5);
    expect(await time(page)).toBeCloseTo(1.5, 1);
    await video(page).evaluate((v: HTMLVideoElement) => v.play());
    await expect.poll(() => time(page)).toBeGreaterThan(1.7);
    await page.screenshot({ path: `${checks}/recorded-review-${name}.png`, fullPage: true });
    await page.context().close();
  });
}

test("a renewed playback URL keeps the place, the play state, the speed and the loop, in both videos", async ({ browser }) => {
  const page = await signedIn(browser, DESKTOP);
  await openSeededReview(page);
  await page.getByLabel("Compare with the reference").check();
  const reference = page.locator("video[aria-label='Reference video']");
  await expect.poll(() => reference.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThan(1);
  const src = () => video(page).evaluate((v: HTMLVideoElement) => v.currentSrc);
  const referenceSrc = () => reference.evaluate((v: HTMLVideoElement) => v.currentSrc);

  // Paused at 0:07.30: the renewal must not take it back to 0:00.
  await seekTo(page, 7.3);
  const first = await src();
  const firstReference = await referenceSrc();
  await expect.poll(src, { timeout: 60_000 }).not.toBe(first);
  await expect.poll(referenceSrc, { timeout: 30_000 }).not.toBe(firstReference);
  await expect.poll(() => video(page).evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThan(1);
  expect(await time(page)).toBeCloseTo(7.3, 1);
  expect(await video(page).evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);
  await expect.poll(() => reference.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeCloseTo(7.3, 0);

  // Playing a looped range at half speed: it goes on doing exactly that.
  await page.getByTestId("timeline").focus();
  await page.keyboard.press("i");
  await seekTo(page, 9.0);
  await page.keyboard.press("o");
  await page.getByLabel("Loop the selection").check();
  await page.getByLabel("Speed").selectOption("0.5");
  await seekTo(page, 7.3);
  await page.getByRole("button", { name: "▶ Play" }).click();
  const second = await src();
  await expect.poll(src, { timeout: 60_000 }).not.toBe(second);
  await expect.poll(() => video(page).evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThan(1);
  await expect.poll(() => video(page).evaluate((v: HTMLVideoElement) => !v.paused)).toBe(true);
  expect(await video(page).evaluate((v: HTMLVideoElement) => v.playbackRate)).toBe(0.5);
  await expect(page.getByLabel("Loop the selection")).toBeChecked();
  await expect(page.getByLabel("Speed")).toHaveValue("0.5");
  const now = await time(page);
  expect(now).toBeGreaterThan(7.0);
  expect(now).toBeLessThan(9.2);
  await expect.poll(() => reference.evaluate((v: HTMLVideoElement) => !v.paused)).toBe(true);
  await page.context().close();
});

test("shortcuts work wherever the focus is, but in text fields", async ({ browser }) => {
  const page = await signedIn(browser, DESKTOP);
  await openSeededReview(page);
  const paused = () => video(page).evaluate((v: HTMLVideoElement) => v.paused);
  await seekTo(page, 2);

  // The timeline focused: Space plays and pauses.
  await page.getByTestId("timeline").getByRole("slider").focus();
  await page.keyboard.press(" ");
  await expect.poll(paused).toBe(false);
  await page.keyboard.press(" ");
  await expect.poll(paused).toBe(true);

  // A focused button: Space plays, it does not press the button (a frame step).
  await seekTo(page, 2);
  await page.getByRole("button", { name: "Next frame" }).focus();
  await page.keyboard.press(" ");
  await expect.poll(paused).toBe(false);
  await page.keyboard.press("k");
  await expect.poll(paused).toBe(true);

  // Three frame steps read three different times.
  await seekTo(page, 6);
  const readout = page.getByTestId("current-time");
  const seen: string[] = [];
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press(".");
    await expect.poll(async () => (await readout.textContent())!).not.toBe(seen.at(-1) ?? "");
    seen.push((await readout.textContent())!);
  }
  expect(new Set(seen).size).toBe(3);
  const fps = await page.evaluate(async (id) => (await (await fetch(`/api/v1/videos/${id}`)).json()).fps, await videoId(page));
  await expect(page.getByTestId("frame-number")).toHaveText(`frame ${Math.round(6 * fps) + 3}`);

  // I and O mark the range; Shift+→ extends it a frame; the comment form takes it.
  await seekTo(page, 3);
  await page.keyboard.press("i");
  await seekTo(page, 4);
  await page.keyboard.press("o");
  await expect(page.locator("#comment-form-title")).toContainText("0:03.0–0:04.0");
  for (let i = 0; i < 3; i++) await page.keyboard.press("Shift+ArrowRight");
  const tenths = Math.floor((3 * 1000) / fps / 100); // three frames past 0:04
  await expect(page.locator("#comment-form-title")).toContainText(`0:03.0–0:04.${tenths}`);

  // L plays forward, faster each press; K pauses; J from a pause plays backwards.
  await page.keyboard.press("l");
  await expect.poll(paused).toBe(false);
  await page.keyboard.press("l");
  expect(await video(page).evaluate((v: HTMLVideoElement) => v.playbackRate)).toBe(2);
  await page.keyboard.press("k");
  await expect.poll(paused).toBe(true);
  await seekTo(page, 10);
  await page.keyboard.press("j");
  await expect(page.getByRole("status").filter({ hasText: "reverse" })).toBeVisible();
  await expect.poll(() => time(page)).toBeLessThan(9.5);
  await page.keyboard.press("k");
  await expect(page.getByRole("status").filter({ hasText: "reverse" })).toHaveCount(0);

  // Typing in the comment box is typing.
  const box = page.getByLabel("Comment", { exact: true });
  await box.fill("");
  await box.press("Space");
  await box.type("jkl io f");
  await expect(box).toHaveValue(" jkl io f");
  expect(await paused()).toBe(true);
  await page.context().close();
});

test("drawings show while the playhead is inside their comment's range, and the tools stay by the picture", async ({ browser }) => {
  const page = await signedIn(browser, DESKTOP);
  await openSeededReview(page);
  const drawing = page.getByRole("img", { name: "Drawing of 1 shape" });
  await seekTo(page, 5);
  await expect(drawing).toHaveCount(0);
  await seekTo(page, 13);
  await expect(drawing).toBeVisible(); // no comment clicked: the playhead is in 0:12.4–0:14.8
  await page.screenshot({ path: `${checks}/drawing-in-range.png` });
  await page.getByLabel("Show drawings").uncheck();
  await expect(drawing).toHaveCount(0);
  await page.getByLabel("Show drawings").check();
  await expect(drawing).toBeVisible();
  await seekTo(page, 15.5);
  await expect(drawing).toHaveCount(0);

  // Drawing: the tools sit on the picture, and both stay in view while the page scrolls
  // down to the comment box.
  await page.getByRole("button", { name: "Draw on the frame" }).click();
  const tools = page.getByRole("toolbar", { name: "Drawing tools" });
  await expect(tools).toBeVisible();
  await page.getByLabel("Comment", { exact: true }).scrollIntoViewIfNeeded();
  await page.mouse.wheel(0, 600);
  await expect(tools).toBeInViewport();
  await expect(page.getByRole("img", { name: /Drawing on the frame/ })).toBeInViewport({ ratio: 0.5 });
  await tools.getByRole("button", { name: "Circle" }).click();
  const canvas = (await page.getByRole("img", { name: /Drawing on the frame/ }).boundingBox())!;
  await page.mouse.move(canvas.x + canvas.width * 0.4, canvas.y + canvas.height * 0.4);
  await page.mouse.down();
  await page.mouse.move(canvas.x + canvas.width * 0.6, canvas.y + canvas.height * 0.6, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByText("Drawing: 1 shape")).toBeVisible();
  await page.screenshot({ path: `${shots}/review-drawing.png` });
  await tools.getByRole("button", { name: "Done" }).click();
  await expect(tools).toHaveCount(0);
  await page.context().close();
});

test("the review screen on a phone", async ({ browser }) => {
  const page = await signedIn(browser, PHONE);
  await openSeededReview(page);
  await seekTo(page, 13);
  await expect(page.getByRole("img", { name: "Drawing of 1 shape" })).toBeVisible();
  await page.screenshot({ path: `${checks}/phone-review.png`, fullPage: true });
  await page.getByRole("button", { name: "Draw on the frame" }).tap();
  await page.getByLabel("Comment", { exact: true }).scrollIntoViewIfNeeded();
  await expect(page.getByRole("toolbar", { name: "Drawing tools" })).toBeInViewport();
  await page.screenshot({ path: `${checks}/phone-drawing.png` });
  await page.getByRole("toolbar", { name: "Drawing tools" }).getByRole("button", { name: "Done" }).tap();
  // Feedback from the phone: a comment on this moment, seen in the list.
  await page.getByLabel("Comment", { exact: true }).fill("Filmed from the side this time: is the depth right?");
  await page.getByRole("button", { name: "Post comment" }).tap();
  await expect(page.getByTestId("comments")).toContainText("Filmed from the side");
  await page.context().close();
});
