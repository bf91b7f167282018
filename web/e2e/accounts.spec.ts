// Accounts and mail in a real browser against the real service (embedded default): the
// mail the worker "sends" is read back from the local outbox (/dev/outbox, .eml files).
import { expect, test, type Page, type APIRequestContext } from "@playwright/test";

const unique = Date.now().toString(36);
const person = { name: "Mia Mover", email: `mia.${unique}@example.com`, password: "mia-moves-every-day" };
const newPassword = "mia-has-a-new-passphrase";

interface Summary {
  name: string;
  to: string;
  subject: string;
}

// Each mail waits for the embedded worker (see mailTo): room for a few such waits.
test.describe.configure({ timeout: 400_000 });

/** The newest message to `to` whose subject contains `subject`, once the worker sent it. */
async function mailTo(request: APIRequestContext, to: string, subject: string): Promise<string> {
  let found: Summary | undefined;
  await expect
    .poll(
      async () => {
        const list = (await (await request.get("/dev/outbox?format=json")).json()) as Summary[];
        found = list.find((m) => m.to.includes(to) && m.subject.includes(subject));
        return !!found;
      },
      // Mail is sent by the embedded worker, which may still be analysing the seeded
      // videos when the suite starts: a generous deadline, not a speed requirement.
      { timeout: 150_000 },
    )
    .toBe(true);
  return (await request.get(`/dev/outbox/${found!.name}?part=text`)).text();
}

/** The link to `path` in a message's text, as a path on the test server. */
function linkIn(text: string, path: string): string {
  const match = text.match(new RegExp(`https?://[^\\s"<>]+${path}\\?[^\\s"<>]+`));
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  const url = new URL(match[0]);
  return url.pathname + url.search; // the test server's own origin
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Exercise library" })).toBeVisible();
}

test.describe.serial("accounts and mail", () => {
  test("sign-up sends a verification link; using it verifies the address", async ({ page, request }) => {
    await page.goto("/signup");
    await page.getByLabel("Your name").fill(person.name);
    await page.getByLabel("Email").fill(person.email);
    await page.getByLabel("Password").fill(person.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText(`Please verify ${person.email}`)).toBeVisible();

    const mail = await mailTo(request, person.email, "Confirm your email address");
    await page.goto(linkIn(mail, "/verify"));
    await page.getByRole("button", { name: "Confirm my email address" }).click();
    await expect(page.getByText("Your email address is verified.")).toBeVisible();
    await page.goto("/settings");
    await expect(page.getByText("verified", { exact: true })).toBeVisible();
    await expect(page.getByText(`Please verify ${person.email}`)).toHaveCount(0);
  });

  test("notification preferences are saved per kind", async ({ page }) => {
    await signIn(page, person.email, person.password);
    await page.goto("/settings");
    await page.getByLabel("New feedback and comments").selectOption("digest");
    await expect(page.getByText("Preferences saved.")).toBeVisible();
    await page.getByLabel("Invites accepted").selectOption("off");
    await page.reload();
    await expect(page.getByLabel("New feedback and comments")).toHaveValue("digest");
    await expect(page.getByLabel("Invites accepted")).toHaveValue("off");
    await expect(page.getByLabel("New attempts to review")).toHaveValue("immediate");
  });

  test("forgot password: the mailed link sets a new password", async ({ page, request }) => {
    await page.goto("/signin");
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.getByLabel("Email").fill(person.email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByText(`If ${person.email} has an account`)).toBeVisible();

    const mail = await mailTo(request, person.email, "Reset your Practika password");
    await page.goto(linkIn(mail, "/reset"));
    await page.getByRole("textbox", { name: /^New password At least/ }).fill(newPassword);
    await page.getByLabel("New password again").fill(newPassword);
    await page.getByRole("button", { name: "Set password" }).click();
    await expect(page.getByText("Your password is set. Sign in with it.")).toBeVisible();
    await signIn(page, person.email, newPassword);
  });

  test("a coach invites by email; the learner joins through the mailed link", async ({ browser, request }) => {
    const invitee = `ivo.${unique}@example.com`;
    const coach = await (await browser.newContext()).newPage();
    await signIn(coach, "coach@practika.test", "practika-demo");
    await coach.goto("/coach");
    await coach.getByLabel("Email addresses").fill(`${invitee}\n`);
    await coach.getByLabel("Note in the email (optional)").fill("See you on Monday");
    await coach.getByRole("button", { name: "Send invites" }).click();
    await expect(coach.getByText(`Invites sent to ${invitee}.`)).toBeVisible();

    const mail = await mailTo(request, invitee, "invites you to train on Practika");
    expect(mail).toContain("See you on Monday");
    const learner = await (await browser.newContext()).newPage();
    await learner.goto(linkIn(mail, "/join"));
    await learner.getByRole("link", { name: "Create an account" }).click();
    await learner.getByLabel("Your name").fill("Ivo Invited");
    await learner.getByLabel("Email").fill(invitee);
    await learner.getByLabel("Password").fill("ivo-trains-with-a-coach");
    await learner.getByRole("button", { name: "Create account" }).click();
    await expect(learner.getByRole("heading", { name: "Exercise library" })).toBeVisible();
    await coach.reload();
    await expect(coach.getByText("Ivo Invited").first()).toBeVisible();
  });

  test("the admin screen: find a user, email a reset link, see mail status", async ({ page, request }) => {
    await signIn(page, "admin@practika.test", "practika-demo");
    await page.getByRole("link", { name: "Admin" }).click();
    await expect(page.getByRole("heading", { name: "Admin" })).toBeVisible();
    await page.getByLabel("Search users").fill("mia");
    await page.getByRole("button", { name: "Search" }).click();
    const row = page.getByTestId(`user-${person.email}`);
    await expect(row).toContainText("verified");
    await row.getByRole("button", { name: "Email reset link" }).click();
    await expect(page.getByText(`A reset link is on its way to ${person.email}.`)).toBeVisible();
    await mailTo(request, person.email, "Reset your Practika password");
    await expect(page.getByTestId("mail-status")).toContainText("outbox");

    await row.getByRole("button", { name: "Deactivate" }).click();
    await expect(row).toContainText("deactivated");
    await row.getByRole("button", { name: "Reactivate" }).click();
    await expect(row).not.toContainText("deactivated");
  });
});
