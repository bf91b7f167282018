// The security screen in a real browser: sessions show their device and last-seen time,
// the other devices can be signed out at once, and "Delete my account" asks for the
// password again, signs out and leaves an account nobody can sign in to.
import { expect, test, type Browser, type Page } from "@playwright/test";

const unique = Date.now().toString(36);
const person = { name: "Dana Deleter", email: `dana.${unique}@example.com`, password: "dana-leaves-the-platform" };
const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";

async function signIn(page: Page) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Exercise library" })).toBeVisible();
}

async function otherDevice(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext({ userAgent: FIREFOX })).newPage();
  await signIn(page);
  return page;
}

test("sessions list their devices, the others sign out at once, and the account can be deleted", async ({ browser, page }) => {
  await page.goto("/signup");
  await page.getByLabel("Your name").fill(person.name);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Exercise library" })).toBeVisible();
  const laptop = await otherDevice(browser);

  await page.goto("/settings");
  const sessions = page.getByRole("list", { name: "Sessions" });
  await expect(sessions.getByText("Firefox on Windows")).toBeVisible();
  await expect(sessions.getByText(/last seen/).first()).toBeVisible();
  await expect(sessions.getByText("this device")).toBeVisible();
  await page.getByRole("button", { name: "Sign out all other devices" }).click();
  await expect(page.getByText("Signed out 1 other sessions.")).toBeVisible();
  await expect(sessions.getByText("Firefox on Windows")).toHaveCount(0);
  const laptopMe = await laptop.request.get("/api/v1/auth/me");
  expect(laptopMe.status()).toBe(401);

  const zone = page.getByRole("group", { name: "Delete my account" });
  await expect(zone.getByText("Your practice threads go")).toBeVisible();
  await zone.getByRole("button", { name: "Delete my account…" }).click();
  await zone.getByLabel("Your password, to confirm").fill("not the password at all");
  await zone.getByRole("button", { name: "Delete my account for good" }).click();
  await expect(zone.getByRole("alert")).toContainText("The password is not right.");

  await zone.getByLabel("Your password, to confirm").fill(person.password);
  await zone.getByRole("button", { name: "Delete my account for good" }).click();
  await expect(page.getByText("Your account was deleted.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("The email or password is not right.");
});
