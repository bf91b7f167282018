import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";

const json = (status: number, body: unknown) =>
  new Response(body === null ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

function SignInStub() {
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  return <p>sign-in page: {notice}</p>;
}

// The API client reads fetch when it is created: stub it, then import the page fresh.
async function renderAt(url: string, answer: (request: Request) => Promise<Response>) {
  vi.resetModules();
  const seen: Request[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      seen.push(request.clone());
      return answer(request);
    }),
  );
  const { ResetPassword } = await import("./ResetPassword");
  render(
    <MemoryRouter initialEntries={[url]}>
      <Routes>
        <Route path="/reset" element={<ResetPassword />} />
        <Route path="/signin" element={<SignInStub />} />
      </Routes>
    </MemoryRouter>,
  );
  return seen;
}

// The first field's label also holds its hint, hence the pattern.
const FIRST = /^New password(?! again)/;
function type(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label === "New password" ? FIRST : label), { target: { value } });
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("ResetPassword", () => {
  it("sends the link's token with the new password, then goes to sign in", async () => {
    const seen = await renderAt("/reset?token=tok-123", async () => json(204, null));
    type("New password", "a brand new passphrase");
    type("New password again", "a brand new passphrase");
    fireEvent.click(screen.getByRole("button", { name: "Set password" }));
    await screen.findByText(/sign-in page: Your password is set/);
    expect(seen).toHaveLength(1);
    expect(new URL(seen[0].url).pathname).toBe("/api/v1/auth/password-reset");
    expect(await seen[0].json()).toEqual({ token: "tok-123", new_password: "a brand new passphrase" });
  });

  it("will not send two different passwords", async () => {
    const seen = await renderAt("/reset?token=tok-123", async () => json(204, null));
    type("New password", "a brand new passphrase");
    type("New password again", "a brand new passphrase!");
    expect(screen.getByRole("alert").textContent).toContain("differ");
    expect((screen.getByRole("button", { name: "Set password" }) as HTMLButtonElement).disabled).toBe(true);
    expect(seen).toHaveLength(0);
  });

  it("says why a used link failed and keeps what was typed", async () => {
    await renderAt("/reset?token=tok-123", async () =>
      json(409, { error: { code: "reset_used", message: "This reset link was already used; ask for a new one.", details: null } }),
    );
    type("New password", "a brand new passphrase");
    type("New password again", "a brand new passphrase");
    fireEvent.click(screen.getByRole("button", { name: "Set password" }));
    await waitFor(() => expect(document.body.textContent).toContain("already used"));
    expect((screen.getByLabelText(FIRST) as HTMLInputElement).value).toBe("a brand new passphrase");
  });

  it("explains what to do when the link has no token", async () => {
    await renderAt("/reset", async () => json(204, null));
    expect(screen.getByRole("heading").textContent).toBe("Reset your password");
    expect(screen.getByRole("link", { name: "Ask for a new link" }).getAttribute("href")).toBe("/forgot");
  });
});
