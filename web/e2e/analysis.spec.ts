// Movement analysis in a real browser: the demo's reference and attempt are a figure
// doing squats that the worker's pose model tracks. Skeleton, angles, chart, aligned
// compare, ghost, reps and departures, on a desktop and a phone.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = path.resolve(here, "../../docs/screenshots");
const COACH = { email: "coach@practika.test", password: "practika-demo" };

// The worker analyses the demo videos after start-up: on a busy machine that takes a
// while, so this waits for the analysis itself, not for a guessed duration.
test.setTimeout(900_000);

async function signIn(page: Page) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(COACH.email);
  await page.getByLabel("Password").fill(COACH.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Exercise library" })).toBeVisible();
}

async function demoReview(request: APIRequestContext) {
  const threads = await (await request.get("/api/v1/threads?role=coach")).json();
  const thread = threads.items.find((t: { exercise: { reference_video_id: string | null } }) => t.exercise.reference_video_id);
  const attempts = await (await request.get(`/api/v1/threads/${thread.id}/attempts`)).json();
  const attempt = attempts.items[0];
  return {
    url: `/threads/${thread.id}/review/${attempt.id}`,
    videoId: attempt.video.id as string,
    referenceId: thread.exercise.reference_video_id as string,
  };
}

async function analysed(request: APIRequestContext, videoId: string) {
  await expect
    .poll(async () => (await (await request.get(`/api/v1/videos/${videoId}/analysis`)).json()).status, {
      timeout: 840_000,
      intervals: [2000],
    })
    .toBe("done");
}

test("a coach reads the movement: skeleton, angles, aligned compare with a ghost, reps, departures", async ({
  page,
}) => {
  await signIn(page);
  const review = await demoReview(page.request);
  await analysed(page.request, review.videoId);
  await analysed(page.request, review.referenceId);
  await page.goto(review.url);

  const panel = page.getByRole("region", { name: "Movement analysis" });
  await expect(panel.getByRole("heading", { name: "Movement" })).toBeVisible();
  await panel.getByLabel("Skeleton").check();
  const skeleton = page.getByTestId("skeleton");
  await expect(skeleton).toHaveAttribute("aria-label", /Skeleton of the tracked body/);

  // The readout and the skeleton follow the playhead: seek by clicking the chart.
  const knee = panel.locator('[data-joint="left_knee"] dd');
  await expect(knee).toHaveText(/^\d+°$/);
  const chart = panel.getByRole("img", { name: /Angles over time/ });
  const box = (await chart.boundingBox())!;
  await chart.click({ position: { x: box.width * 0.25, y: box.height / 2 } });
  const frameAtQuarter = await skeleton.getAttribute("data-frame");
  await chart.click({ position: { x: box.width * 0.6, y: box.height / 2 } });
  await expect(skeleton).not.toHaveAttribute("data-frame", frameAtQuarter!);

  // Reps counted, and departures from the reference offered as comments.
  await expect(panel.getByTestId("reps")).toContainText(/\d+ reps? by the/);
  await expect(panel.getByText(/more extended than the reference/).first()).toBeVisible();

  // Aligned compare: the reference shows the matching moment of the movement.
  await page.getByLabel("Compare with the reference").check();
  await panel.getByLabel("Aligned by movement").check();
  await expect(page.getByText("Reference · aligned by movement")).toBeVisible();
  const pairs: number[][] = (
    await (await page.request.get(`/api/v1/videos/${review.videoId}/alignment?reference=${review.referenceId}`)).json()
  ).pairs;
  const attemptVideo = page.getByTestId("player");
  await attemptVideo.evaluate((v: HTMLVideoElement) => {
    v.pause();
    v.currentTime = 9;
  });
  const expected = (t: number) => {
    let i = 0;
    while (i < pairs.length - 1 && pairs[i + 1][0] <= t) i++;
    return pairs[i][1];
  };
  await expect
    .poll(async () =>
      page.evaluate(() => {
        const [main, reference] = Array.from(document.querySelectorAll("video"));
        return { main: main.currentTime * 1000, reference: reference.currentTime * 1000 };
      }),
    )
    .toEqual(expect.objectContaining({ main: 9000 }));
  await expect
    .poll(async () =>
      page.evaluate(() => Array.from(document.querySelectorAll("video"))[1].currentTime * 1000),
    )
    .toBeGreaterThan(expected(9000) - 120);
  const referenceAt = await page.evaluate(() => Array.from(document.querySelectorAll("video"))[1].currentTime * 1000);
  expect(Math.abs(referenceAt - expected(9000))).toBeLessThan(120);

  await panel.getByLabel("Ghost of the reference").check();
  await expect(skeleton).toHaveAttribute("aria-label", /with the reference's pose as a ghost/);
  // For the picture: the bottom of a shallow squat, where the ghost shows the deeper one.
  const before = await skeleton.getAttribute("data-frame");
  await attemptVideo.evaluate((v: HTMLVideoElement) => {
    v.currentTime = 6.6;
  });
  await expect(skeleton).not.toHaveAttribute("data-frame", before!);
  await page.screenshot({ path: `${shots}/analysis-compare.png`, fullPage: true });

  // A departure becomes a comment's range with one click (nothing is posted).
  await panel.getByRole("button", { name: "Comment on this" }).first().click();
  await expect(page.getByLabel("Comment", { exact: true })).toHaveValue(/more extended than the reference/);
});

test("the movement panel on a phone", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const phone = await context.newPage();
  await signIn(phone);
  const review = await demoReview(phone.request);
  await analysed(phone.request, review.videoId);
  await phone.goto(review.url);
  const panel = phone.getByRole("region", { name: "Movement analysis" });
  await panel.getByLabel("Skeleton").check();
  await expect(phone.getByTestId("skeleton")).toHaveAttribute("aria-label", /Skeleton of the tracked body/);
  await panel.scrollIntoViewIfNeeded();
  await phone.screenshot({ path: `${shots}/phone-analysis.png`, fullPage: true });
  await context.close();
});
