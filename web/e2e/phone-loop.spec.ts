// The whole practice loop on phones (390×844, touch), both people on a phone, against the
// seeded demo (Coach Ana, learner Leo, the goblet squat thread): the learner finds the
// exercise, records an attempt with the (fake) camera and sends it; the coach finds it in
// the inbox, reviews it and answers at a moment; the learner's notification opens the
// attempt at that moment. Thumbnails along the way; screenshots for the README.
import { expect, test, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = path.resolve(here, "../../docs/screenshots");
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const LEARNER = { email: "learner@practika.test", password: "practika-demo" };
const COACH = { email: "coach@practika.test", password: "practika-demo" };

async function signedIn(browser: Browser, who: { email: string; password: string }, options = PHONE): Promise<Page> {
  const context = await browser.newContext({ ...options, permissions: ["camera", "microphone"] });
  const page = await context.newPage();
  await page.goto("/signin");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Exercise library" })).toBeVisible();
  return page;
}

const tab = (page: Page, name: RegExp) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name });
const player = (page: Page) => page.getByTestId("player");
const loaded = (page: Page) =>
  expect.poll(() => player(page).evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 30_000 }).toBeGreaterThan(1);
/** Every thumbnail in `scope` has drawn its poster (lazy images load once on screen). */
async function postersDrawn(scope: ReturnType<Page["locator"]>) {
  const images = scope.locator("[data-testid=thumbnail] img");
  await expect(images.first()).toBeVisible();
  await images.first().scrollIntoViewIfNeeded();
  await expect.poll(() => images.first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
}

test("the whole loop on phones: record, send, review at a moment, see the answer there", async ({ browser }) => {
  test.setTimeout(600_000); // the worker may first finish the seeded videos' analysis on a busy machine
  const unique = Date.now().toString(36);
  const note = `Knees out over the toes, phone ${unique}`;
  const filmed = `Filmed on my phone ${unique}`;

  // The learner: the library shows posters; the exercise page shows their practice.
  const learner = await signedIn(browser, LEARNER);
  await postersDrawn(learner.locator(".card-thumb"));
  await learner.getByRole("link", { name: "Goblet squat" }).first().tap();
  await expect(learner.getByRole("heading", { name: "Goblet squat" })).toBeVisible();
  await postersDrawn(learner.getByTestId("exercise-threads"));
  await learner.screenshot({ path: `${shots}/phone-exercise.png`, fullPage: true });
  await learner.getByRole("button", { name: "Practise this" }).tap(); // opens the thread they have
  await learner.waitForURL(/\/threads\/[^/]+$/);
  const threadUrl = learner.url();
  await expect(learner.locator(".attempts li.attempt").first()).toBeVisible(); // the seeded one

  // Records with the camera, and sends it.
  await learner.getByRole("button", { name: "Record with camera" }).tap();
  await expect.poll(() => learner.locator(".recorder video").evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThan(1);
  await learner.getByRole("button", { name: "Start recording" }).tap();
  await expect(learner.getByTestId("recording-time")).toHaveText(/0:0[3-9]/, { timeout: 30_000 });
  await learner.getByRole("button", { name: "Stop and upload" }).tap();
  await learner.getByLabel("Notes for your coach (optional)").fill(filmed);
  await learner.getByRole("button", { name: "Send to your coach" }).tap();
  // Processed by the real pipeline: ready, with its poster, at the top of the list.
  const recorded = learner.locator(".attempts li.attempt", { hasText: filmed });
  await expect(recorded).toBeVisible({ timeout: 60_000 });
  await expect(recorded.getByRole("link", { name: "Review" })).toBeVisible({ timeout: 300_000 });
  await expect(learner.locator(".attempts li.attempt").first()).toContainText(filmed); // newest first
  await postersDrawn(recorded);
  await recorded.evaluate((li) => li.scrollIntoView({ block: "center" }));
  await learner.screenshot({ path: `${shots}/phone-thread.png` });

  // The coach, on a phone too: the inbox lists it with its poster; the review opens.
  const coach = await signedIn(browser, COACH);
  await tab(coach, /^Coach$/).tap();
  const row = coach.getByTestId("inbox").locator("li", { hasText: "Goblet squat" });
  await expect(row).toBeVisible({ timeout: 30_000 });
  await postersDrawn(row);
  await coach.screenshot({ path: `${shots}/phone-inbox.png` });
  await row.getByRole("link", { name: "Goblet squat" }).tap();
  await expect(coach).toHaveURL(threadUrl);
  await coach.locator(".attempts li.attempt").first().getByRole("link", { name: "Review" }).tap();
  await loaded(coach);
  await expect(coach.getByText(filmed)).toBeVisible();
  // A tap on the timeline at about half-way seeks there; the comment is at that moment.
  // The review screen is taller than a phone: bring the timeline on screen before the tap
  // (a tap lands at viewport coordinates).
  const timeline = coach.getByRole("slider", { name: /Timeline/ });
  await timeline.scrollIntoViewIfNeeded();
  const track = (await timeline.boundingBox())!;
  await coach.touchscreen.tap(track.x + track.width * 0.5, track.y + track.height / 2);
  await expect.poll(() => player(coach).evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(0.5);
  await coach.getByLabel("Comment", { exact: true }).fill(note);
  await coach.getByRole("button", { name: "Post comment" }).tap();
  await expect(coach.getByTestId("comments")).toContainText(note);
  await coach.evaluate(() => window.scrollTo(0, 0));
  await coach.screenshot({ path: `${shots}/phone-coach-review.png` });

  // The learner's notification names the exercise and the moment and opens it there.
  await tab(learner, /^Notifications/).tap();
  const link = learner
    .locator(".notifications li", { hasText: note })
    .getByRole("link", { name: /left feedback on Goblet squat at \d:\d\d\.\d/ });
  await expect(link).toBeVisible({ timeout: 30_000 });
  await link.tap();
  await loaded(learner);
  await expect(learner.getByTestId("comments")).toContainText(note);
  await expect.poll(() => player(learner).evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(0.5);
  await learner.context().close();
  await coach.context().close();
});

test("playlists show their exercises' posters, on a desktop and on a phone", async ({ browser }) => {
  for (const [name, options] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    const page = await signedIn(browser, LEARNER, options);
    await page.goto("/playlists");
    const row = page.locator(".playlist-rows li", { hasText: "Lower-body basics" });
    await postersDrawn(row);
    await page.screenshot({ path: `${shots}/${name === "phone" ? "phone-playlists" : "playlists"}.png` });
    await row.getByRole("link", { name: "Lower-body basics" }).click();
    const items = page.locator(".playlist-items li");
    await expect(items).toHaveCount(3);
    await expect(items.first().getByTestId("thumbnail")).toBeVisible();
    await postersDrawn(items.nth(1)); // the goblet squat: a ready reference video
    await page.context().close();
  }
});
