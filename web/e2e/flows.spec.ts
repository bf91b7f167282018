// The product's main flows in a real browser against the real service (embedded default).
import { expect, test, type Browser, type Page } from "@playwright/test";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const clips = path.resolve(here, "../.e2e/clips");
const shots = path.resolve(here, "../../docs/screenshots");
const unique = Date.now().toString(36);
const exerciseTitle = `Reverse lunge ${unique}`;
const learner = { name: "Lea Learner", email: `lea.${unique}@example.com`, password: "lea-practises-daily" };

const state: { inviteCode?: string; exerciseUrl?: string; reviewUrl?: string; threadUrl?: string } = {};

/** The part number of a local-mode part URL (/media/parts/<upload>/<n>?sig). */
const partNumber = (url: string) => Number(new URL(url).pathname.split("/").pop());
let coach: Page;
let learnerPage: Page;

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Exercise library" })).toBeVisible();
}

async function newPage(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  return context.newPage();
}

/** Drag across the review timeline from `a` to `b` (fractions of its width). */
async function dragTimeline(page: Page, a: number, b: number) {
  const box = (await page.getByTestId("timeline").boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * a, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * ((a + b) / 2), y, { steps: 4 });
  await page.mouse.move(box.x + box.width * b, y, { steps: 4 });
  await page.mouse.up();
}

test.describe.serial("coach and learner", () => {
  test.beforeAll(async ({ browser }) => {
    coach = await newPage(browser);
    learnerPage = await newPage(browser);
  });

  test("the sign-in screen: a title, a favicon, and no console error for the anonymous visitor", async () => {
    const errors: string[] = [];
    coach.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await coach.goto("/");
    await expect(coach).toHaveURL(/\/signin$/);
    await expect(coach).toHaveTitle("Sign in · Practika");
    const icon = await coach.locator('link[rel="icon"]').getAttribute("href");
    expect((await coach.request.get(icon!)).status()).toBe(200);
    await coach.screenshot({ path: `${shots}/sign-in.png` });
    expect(errors).toEqual([]); // no 401 from /auth/me: nobody is signed in, nothing is asked
  });

  test("a coach creates an exercise with an uploaded reference video", async () => {
    await signIn(coach, "coach@practika.test", "practika-demo");
    await expect(coach.getByTestId("result-count")).toBeVisible();
    await coach.screenshot({ path: `${shots}/library.png` });
    await coach.getByRole("link", { name: "New exercise" }).first().click();
    await coach.getByLabel("Title").fill(exerciseTitle);
    await coach.getByLabel("Description").fill("Step back, drop the back knee under the hip, drive up through the front heel.");
    await coach.getByLabel("Category").selectOption({ index: 1 });
    await coach.getByLabel("Difficulty").selectOption("intermediate");
    await coach.getByLabel("Tags").fill("lunge, legs");
    await coach.locator('input[type="file"]').setInputFiles(path.join(clips, "reference.mp4"));
    await expect(coach.locator(".badge-ready")).toBeVisible({ timeout: 90_000 });
    await coach.getByRole("button", { name: "Save exercise" }).click();
    await expect(coach.getByRole("heading", { name: exerciseTitle })).toBeVisible();
    await expect(coach.getByLabel("Reference video")).toBeVisible();
    await expect(coach).toHaveTitle(`${exerciseTitle} · Practika`);
    // A new exercise is a draft, seen by its author only, until published.
    await expect(coach.getByTestId("draft-note")).toBeVisible();
    await coach.getByRole("button", { name: "Publish" }).click();
    await expect(coach.getByTestId("draft-note")).toHaveCount(0);
    state.exerciseUrl = coach.url();
    await coach.screenshot({ path: `${shots}/exercise.png` });
  });

  test("a public exercise opens without signing in", async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const visitor = await context.newPage();
    await visitor.goto(state.exerciseUrl!);
    await expect(visitor.getByRole("heading", { name: exerciseTitle })).toBeVisible();
    await expect(visitor.getByRole("link", { name: "Sign in to practise" })).toBeVisible();
    await visitor.goto("/exercises/not-an-id");
    await expect(visitor.getByRole("heading", { name: "Exercise not found" })).toBeVisible();
    await context.close();
  });

  test("the coach invites a learner, who joins with the code", async () => {
    await coach.getByRole("link", { name: "Coach" }).click();
    await coach.getByRole("button", { name: "Create invite" }).click();
    state.inviteCode = (await coach.getByTestId("invite-code").textContent())!.trim();
    expect(state.inviteCode).toMatch(/^([A-HJKMNP-Z2-9]{4}-){3}[A-HJKMNP-Z2-9]{4}$/);
    await expect(coach.locator(".invite-code").first()).toHaveText(state.inviteCode); // stays in the list

    const link = await coach.getByLabel("Invite link").inputValue();
    expect(link).toContain(`/join?code=${encodeURIComponent(state.inviteCode)}`);
    await learnerPage.goto(link);
    await expect(learnerPage.getByRole("heading", { name: "Train with Coach Ana" })).toBeVisible();
    await learnerPage.getByRole("link", { name: "Create an account" }).click();
    await learnerPage.getByLabel("Your name").fill(learner.name);
    await learnerPage.getByLabel("Email").fill(learner.email);
    await learnerPage.getByLabel("Password").fill(learner.password);
    await expect(learnerPage.getByLabel("Invite code (optional)")).toHaveValue(state.inviteCode);
    await learnerPage.getByRole("button", { name: "Create account" }).click();
    await expect(learnerPage.getByRole("heading", { name: "Exercise library" })).toBeVisible();
    await expect(learnerPage.getByTestId("joined")).toHaveText(/You’re now practising with Coach Ana/);
  });

  test("the learner uploads an attempt and comments on a range", async () => {
    await learnerPage.getByLabel("Search exercises").fill(unique);
    await learnerPage.getByRole("button", { name: "Search" }).click();
    await expect(learnerPage.getByTestId("result-count")).toHaveText("1 exercise");
    await learnerPage.getByRole("link", { name: exerciseTitle }).click();
    await learnerPage.getByRole("button", { name: "Practise this" }).click();
    await learnerPage.waitForURL(/\/threads\//);
    await expect(learnerPage.getByRole("heading", { name: exerciseTitle })).toBeVisible();
    state.threadUrl = learnerPage.url();
    await learnerPage.locator('input[type="file"]').setInputFiles(path.join(clips, "attempt.mp4"));
    // Notes typed while (or after) the file uploads are kept and go with the attempt.
    const notes = learnerPage.getByLabel("Notes for your coach (optional)");
    await notes.fill("Second set, felt wobbly on the way down");
    await expect(learnerPage.getByText("The video is uploaded")).toBeVisible({ timeout: 60_000 });
    await expect(notes).toHaveValue("Second set, felt wobbly on the way down");
    await learnerPage.getByRole("button", { name: "Send to your coach" }).click();
    await expect(learnerPage.locator(".attempt .notes")).toHaveText("Second set, felt wobbly on the way down");
    // The status updates by itself: processing (with a percentage) → ready, with a poster.
    await expect(learnerPage.getByRole("link", { name: "Review" })).toBeVisible({ timeout: 90_000 });
    await expect(learnerPage.locator(".attempt [data-testid=thumbnail] img")).toBeVisible();
    // And the notes can be edited afterwards.
    await learnerPage.getByRole("button", { name: "Edit notes" }).click();
    await learnerPage.getByLabel("Notes on this attempt").fill("Second set: wobbly on the way down, knee drifts in");
    await learnerPage.getByRole("button", { name: "Save notes" }).click();
    await expect(learnerPage.locator(".attempt .notes")).toHaveText("Second set: wobbly on the way down, knee drifts in");
    await learnerPage.screenshot({ path: `${shots}/thread.png` });
    await learnerPage.getByRole("link", { name: "Review" }).click();
    await expect(learnerPage.getByTestId("player")).toBeVisible();
    await expect.poll(() => learnerPage.getByTestId("player").evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThan(0);
    state.reviewUrl = learnerPage.url();
    await dragTimeline(learnerPage, 0.2, 0.45);
    await learnerPage.getByLabel("Comment", { exact: true }).fill("My front knee drifts in here. Is that why it feels wobbly?");
    await expect(learnerPage.getByLabel("Kind of comment")).toHaveValue("question"); // a learner's default
    await learnerPage.getByRole("button", { name: "Post comment" }).click();
    await expect(learnerPage.getByTestId("comments")).toContainText("front knee drifts in");
    await expect(learnerPage.getByLabel("Comment", { exact: true })).toHaveValue("");
  });

  test("the coach replies at a timecode from the inbox", async () => {
    await coach.getByRole("link", { name: "Coach" }).click();
    await coach.reload();
    // The inbox shows the ready attempt with its poster and count, waiting longest first.
    const inbox = coach.getByTestId("inbox");
    await expect(inbox.locator("li", { hasText: exerciseTitle })).toContainText("1 attempt");
    await expect(inbox.locator("li", { hasText: exerciseTitle }).locator("[data-testid=thumbnail] img")).toBeVisible();
    await coach.screenshot({ path: `${shots}/coach-inbox.png` });
    // The learner's page: their threads, attempts with posters, sessions and progress.
    await inbox.getByRole("link", { name: learner.name }).first().click();
    await expect(coach.getByRole("heading", { name: learner.name })).toBeVisible();
    await expect(coach.locator(".attempt-grid [data-testid=thumbnail] img").first()).toBeVisible();
    await coach.screenshot({ path: `${shots}/learner-page.png`, fullPage: true });
    await coach.goBack();
    await coach.getByTestId("inbox").getByRole("link", { name: exerciseTitle }).first().click();
    await coach.getByRole("link", { name: "Review" }).first().click();
    await expect(coach.getByTestId("comments")).toContainText("front knee drifts in");
    await expect.poll(() => coach.getByTestId("player").evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThan(0);
    await dragTimeline(coach, 0.6, 0.8);
    // An arrow on the paused frame goes with the comment.
    await coach.getByRole("button", { name: "Draw on the frame" }).click();
    await coach.getByRole("button", { name: "Arrow" }).click();
    const layer = coach.getByRole("img", { name: /Drawing on the frame/ });
    await layer.scrollIntoViewIfNeeded();
    const canvas = (await layer.boundingBox())!;
    await coach.mouse.move(canvas.x + canvas.width * 0.35, canvas.y + canvas.height * 0.3);
    await coach.mouse.down();
    await coach.mouse.move(canvas.x + canvas.width * 0.5, canvas.y + canvas.height * 0.55, { steps: 5 });
    await coach.mouse.up();
    await expect(coach.getByText("Drawing: 1 shape")).toBeVisible();
    await coach.getByLabel("Comment", { exact: true }).fill("Yes: push the knee out over the little toe and slow the descent here.");
    await coach.getByRole("button", { name: "Post comment" }).click();
    await expect(coach.getByTestId("comments")).toContainText("little toe");
    await expect(coach.getByTestId("comments").locator("li", { hasText: "little toe" })).toContainText("drawing");
    // Side by side with the reference.
    await coach.getByLabel("Compare with the reference").check();
    await expect(coach.getByLabel("Reference video")).toBeVisible();
    await coach.screenshot({ path: `${shots}/review-coach.png` });
  });

  test("the learner's notification names the exercise and the moment, and opens it there", async () => {
    const page = learnerPage;
    await page.getByRole("link", { name: /^Notifications/ }).click();
    const note = page.getByRole("link", { name: new RegExp(`left feedback on ${exerciseTitle} at \\d:\\d\\d\\.\\d`) });
    await expect(note).toBeVisible({ timeout: 30_000 });
    await expect(page.locator(".notifications li", { has: note })).toContainText("little toe");
    const href = (await note.getAttribute("href"))!;
    const t = Number(new URL(href, "http://x").searchParams.get("t"));
    expect(t).toBeGreaterThan(0);
    await note.click();
    await expect(page).toHaveURL(/\/review\/[^/?]+\?t=\d+/);
    await expect
      .poll(() => page.getByTestId("player").evaluate((v: HTMLVideoElement) => v.currentTime))
      .toBeCloseTo(t / 1000, 1);
  });

  test("the learner sees the reply on the timeline and clicking it seeks", async () => {
    await expect(learnerPage.getByTestId("comments")).toContainText("little toe", { timeout: 20_000 });
    const reply = learnerPage.getByTestId("comments").locator("li", { hasText: "little toe" });
    const label = (await reply.locator("button.time").textContent())!;
    const [m, s] = label.split("–")[0].split(":");
    const start = Number(m) * 60 + Number(s);
    await expect(learnerPage.locator(".timeline .mark")).toHaveCount(2);
    await learnerPage.locator(".timeline .mark.kind-correction").click();
    await expect
      .poll(() => learnerPage.getByTestId("player").evaluate((v: HTMLVideoElement) => v.currentTime))
      .toBeCloseTo(start, 0);
    await expect(learnerPage.getByRole("img", { name: "Drawing of 1 shape" })).toBeVisible();
    const before = await learnerPage.getByTestId("player").evaluate((v: HTMLVideoElement) => v.currentTime);
    await learnerPage.getByRole("button", { name: "Next frame" }).click();
    await expect
      .poll(() => learnerPage.getByTestId("player").evaluate((v: HTMLVideoElement, t: number) => v.currentTime - t, before))
      .toBeGreaterThan(0.01);
    await learnerPage.getByLabel("Speed").selectOption("0.5");
    expect(await learnerPage.getByTestId("player").evaluate((v: HTMLVideoElement) => v.playbackRate)).toBe(0.5);
    await learnerPage.screenshot({ path: `${shots}/review.png`, fullPage: true });
  });

  test("the learner asks about a moment of the reference video itself", async () => {
    await learnerPage.goto(state.threadUrl!);
    await learnerPage.getByRole("link", { name: "Discuss the reference video" }).click();
    await expect(learnerPage.locator("#review-title")).toContainText("reference video");
    await expect.poll(() => learnerPage.getByTestId("player").evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThan(0);
    await expect(learnerPage.getByText("No comments yet")).toBeVisible();
    await dragTimeline(learnerPage, 0.1, 0.3);
    await learnerPage.getByLabel("Comment", { exact: true }).fill("Where do your eyes look during this part?");
    await learnerPage.getByRole("button", { name: "Post comment" }).click();
    await expect(learnerPage.getByTestId("comments")).toContainText("eyes look");
    // Each video keeps its own feedback: the attempt's list does not show it.
    await learnerPage.goto(state.reviewUrl!);
    await expect(learnerPage.getByTestId("comments")).toContainText("little toe");
    await expect(learnerPage.getByTestId("comments")).not.toContainText("eyes look");
  });

  test("a playlist is built, reordered by drag, duplicated and run; progress shows it", async () => {
    const page = learnerPage;
    await page.getByRole("link", { name: "Playlists" }).click();
    await page.getByLabel("New playlist title").fill("Leg day");
    await page.getByRole("button", { name: "Create playlist" }).click();
    const rows = page.locator(".playlist-items > li");
    // The second is picked while the first is still being added: both must land.
    for (const title of [exerciseTitle, "Goblet squat"]) {
      await page.getByLabel("Exercise to add").selectOption({ label: title });
      await page.getByRole("button", { name: "Add" }).click();
    }
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toContainText(exerciseTitle);
    await rows.nth(1).dragTo(rows.first());
    await expect(rows.first()).toContainText("Goblet squat");
    await page.getByLabel(`rest (s) for ${exerciseTitle}`).fill("0");
    await page.getByLabel(`reps for ${exerciseTitle}`).focus(); // leaving the field saves it

    await page.getByRole("button", { name: "Duplicate" }).click();
    await expect(page.getByRole("heading", { name: "Leg day (copy)" })).toBeVisible();
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toContainText("Goblet squat");

    await page.getByRole("link", { name: "Run" }).click();
    await page.getByRole("button", { name: "Start" }).click();
    await expect(page.getByTestId("run-exercise")).toHaveText("Goblet squat");
    await expect(page.getByTestId("timer")).toHaveText(/[1-9] s/);
    await page.screenshot({ path: `${shots}/playlist-run.png` });
    await page.getByRole("button", { name: "Mark done" }).click();
    await expect(page.getByTestId("rest")).toBeVisible(); // Goblet squat rests 60 s
    await page.getByRole("button", { name: "Skip the rest" }).click();
    await expect(page.getByTestId("run-exercise")).toHaveText(exerciseTitle);
    await expect(page.getByTestId("run-video")).toBeVisible(); // the reference plays during the run
    // Leave half-way; coming back offers to resume the same session, from where it stopped.
    const runUrl = page.url();
    await page.goto("/playlists");
    await page.goto(runUrl);
    await expect(page.getByTestId("resume-note")).toContainText("1 exercise recorded");
    await page.getByRole("button", { name: "Resume" }).click();
    await expect(page.getByTestId("run-exercise")).toHaveText(exerciseTitle);
    await page.getByRole("button", { name: "Mark done" }).click();
    await page.getByRole("button", { name: "Finish" }).click();
    await expect(page.getByRole("heading", { name: /Done/ })).toBeVisible();
    await expect(page.getByText("2 of 2 exercises recorded")).toBeVisible();
    await page.getByRole("link", { name: "See your progress" }).click();
    await expect(page.getByRole("img", { name: /Minutes practised per week/ })).toBeVisible();
    await expect(page.getByRole("img", { name: /Attempts per exercise/ })).toContainText(exerciseTitle.slice(0, 12));
    await expect(page.getByTestId("sessions")).toHaveText("1");
    await page.screenshot({ path: `${shots}/progress.png` });
  });

  test("an upload cut off by a reload resumes with the same file and sends only the missing parts", async () => {
    const page = learnerPage;
    await page.goto(state.threadUrl!);
    // Parts 1 and 2 arrive; the rest hang, as on a dropped connection, until the reload.
    const arrived: number[] = [];
    let cutOff = true;
    await page.route("**/media/parts/**", async (route) => {
      if (cutOff && partNumber(route.request().url()) > 2) return; // never answered; dies with the reload
      await route.continue();
    });
    page.on("requestfinished", (r) => r.url().includes("/media/parts/") && arrived.push(partNumber(r.url())));
    await page.locator('input[type="file"]').setInputFiles(path.join(clips, "attempt.mp4"));
    await expect.poll(() => arrived.length).toBe(2);

    await page.reload();
    cutOff = false;
    await expect(page.getByRole("status").filter({ hasText: "did not finish uploading" })).toContainText("attempt.mp4");
    const resent: number[] = [];
    page.on("request", (r) => r.method() === "PUT" && r.url().includes("/media/parts/") && resent.push(partNumber(r.url())));
    await page.locator('input[type="file"]').setInputFiles(path.join(clips, "attempt.mp4"));
    await page.getByRole("button", { name: "Send to your coach" }).click();
    await expect(page.getByRole("link", { name: "Review" })).toHaveCount(2, { timeout: 90_000 });
    expect(resent.length).toBeGreaterThan(0);
    expect(resent).not.toContain(1);
    expect(resent).not.toContain(2);
    expect(Math.min(...resent)).toBe(3);
    await expect(page.getByText("did not finish uploading")).toHaveCount(0);
  });

  test("a forgotten password is reset with a single-use link from an admin", async ({ browser, request }) => {
    const admin = await request.post("/api/v1/auth/signin", { data: { email: "admin@practika.test", password: "practika-demo" } });
    const auth = { Authorization: `Bearer ${(await admin.json()).token}` };
    const users = await (await request.get(`/api/v1/admin/users?q=${encodeURIComponent(learner.email)}`, { headers: auth })).json();
    const issued = await request.post(`/api/v1/admin/users/${users.items[0].id}/password-reset`, { headers: auth });
    expect(issued.status()).toBe(201);
    const { reset_path } = await issued.json();

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(reset_path);
    const newPassword = "lea-remembers-now";
    await page.getByLabel(/^New password(?! again)/).fill(newPassword);
    await page.getByLabel("New password again").fill(newPassword);
    await page.screenshot({ path: `${shots}/reset-password.png` });
    await page.getByRole("button", { name: "Set password" }).click();
    await expect(page.getByRole("status")).toHaveText("Your password is set. Sign in with it.");
    await page.getByLabel("Email").fill(learner.email);
    await page.getByLabel("Password").fill(newPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Exercise library" })).toBeVisible();

    await page.goto(reset_path); // the link works once
    await page.getByLabel(/^New password(?! again)/).fill("another-try-here");
    await page.getByLabel("New password again").fill("another-try-here");
    await page.getByRole("button", { name: "Set password" }).click();
    await expect(page.getByRole("alert")).toContainText("already used");
    learner.password = newPassword;
    await context.close();
  });

  test("on a phone", async ({ browser, request }) => {
    // Something unread for the badge: the coach answers once more (through the API).
    const signedIn = await request.post("/api/v1/auth/signin", { data: { email: "coach@practika.test", password: "practika-demo" } });
    const auth = { Authorization: `Bearer ${(await signedIn.json()).token}` };
    const [, threadId, attemptId] = new URL(state.reviewUrl!).pathname.match(/threads\/([^/]+)\/review\/([^/]+)/)!;
    const attempt = await (await request.get(`/api/v1/attempts/${attemptId}`, { headers: auth })).json();
    const posted = await request.post(`/api/v1/threads/${threadId}/comments`, {
      headers: auth,
      data: { video_id: attempt.video.id, t_start_ms: 1000, t_end_ms: 1500, body: "Better already." },
    });
    expect(posted.status()).toBe(201);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const phone = await context.newPage();
    await signIn(phone, learner.email, learner.password);
    const big = async (what: string, box: { width: number; height: number } | null) => {
      expect(box, what).not.toBeNull();
      expect(box!.width, `${what} width`).toBeGreaterThanOrEqual(44);
      expect(box!.height, `${what} height`).toBeGreaterThanOrEqual(44);
    };
    // Every destination is in the tab bar, on screen, big enough, and reachable by a tap.
    const nav = phone.getByRole("navigation", { name: "Main" });
    const destinations: Array<[RegExp, RegExp, string]> = [
      [/^Practice$/, /\/practice$/, "My practice"],
      [/^Coach$/, /\/coach$/, "Coaching"],
      [/^Playlists$/, /\/playlists$/, "Playlists"],
      [/^Progress$/, /\/progress$/, "Progress"],
      [/^Notifications/, /\/notifications$/, "Notifications"],
      [/^Library$/, /\/$/, "Exercise library"],
    ];
    for (const [name, url, heading] of destinations) {
      const link = nav.getByRole("link", { name });
      await expect(link).toBeInViewport();
      await big(`${name} tab`, await link.boundingBox());
      await link.tap();
      await expect(phone).toHaveURL(url);
      await expect(phone.getByRole("heading", { name: heading, exact: true })).toBeVisible();
    }
    // The unread badge shows on the Notifications tab.
    await expect(nav.getByRole("link", { name: /^Notifications, [1-9]\d* unread/ }).locator(".count")).toBeInViewport();
    const chip = phone.locator(".chip").first();
    await expect(chip).toBeVisible();
    await big("tag chip", await chip.boundingBox());
    await expect(phone.getByTestId("result-count")).toBeVisible();
    await phone.screenshot({ path: `${shots}/phone-library.png` });

    await phone.goto(state.reviewUrl!);
    await expect(phone.getByTestId("comments")).toContainText("little toe");
    await expect(phone.locator(".timeline .mark")).toHaveCount(3); // two before, one just now
    for (const mark of await phone.locator(".timeline .mark").all()) await big("timeline mark", await mark.boundingBox());
    for (const box of await phone.locator("label:has(> input[type=checkbox])").all()) await big("checkbox", await box.boundingBox());
    await phone.locator(".timeline .mark.kind-correction").tap();
    await expect.poll(() => phone.getByTestId("player").evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(0);
    await phone.screenshot({ path: `${shots}/phone-review.png`, fullPage: true });
    await context.close();
  });
});
