import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeUploadService, memoryPending } from "../../test/fakes";
import { json, renderScreen } from "../../test/screen";

const KB = 1024;
const clip = () => new File([new Uint8Array(20 * KB)], "squat.mp4", { type: "video/mp4", lastModified: 7 });
const choose = (file: File) => fireEvent.change(document.querySelector('input[type="file"]')!, { target: { files: [file] } });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function newAttempt() {
  const service = fakeUploadService(10 * KB);
  const sent: unknown[] = [];
  await renderScreen(
    async () => {
      const { NewAttempt } = await import("./ThreadPage");
      const pending = memoryPending();
      return () => <NewAttempt threadId="t1" uploadOptions={service} pending={pending} />;
    },
    async (request) => {
      if (request.method === "POST" && request.url.endsWith("/threads/t1/attempts")) {
        const body = await request.json();
        sent.push(body);
        return json({ id: "a1", thread_id: "t1", notes: body.notes, video: { id: body.video_id, status: "processing" } }, 201);
      }
      return json({ items: [], next_cursor: null });
    },
  );
  return { sent, service };
}

describe("NewAttempt", () => {
  it("keeps the notes typed after choosing the file and sends them with the attempt", async () => {
    const { sent } = await newAttempt();
    choose(clip());
    await screen.findByText(/The video is uploaded/);
    const notes = screen.getByLabelText(/Notes for your coach/) as HTMLTextAreaElement;
    fireEvent.change(notes, { target: { value: "Left knee caves on rep 3" } });
    expect(notes.value).toBe("Left knee caves on rep 3"); // not cleared by the upload
    expect(sent).toEqual([]); // nothing is sent behind the learner's back

    fireEvent.click(screen.getByRole("button", { name: "Send to your coach" }));
    await waitFor(() => expect(sent).toEqual([{ video_id: "v1", notes: "Left knee caves on rep 3" }]));
    await waitFor(() => expect(notes.value).toBe("")); // cleared once the attempt exists
  }, 30_000);

  it("sent while the upload still runs, goes out with the notes when it finishes", async () => {
    const { sent } = await newAttempt();
    const notes = screen.getByLabelText(/Notes for your coach/) as HTMLTextAreaElement;
    fireEvent.change(notes, { target: { value: "First try" } });
    fireEvent.click(screen.getByRole("button", { name: "Send to your coach" }));
    expect(sent).toEqual([]);
    choose(clip());
    await waitFor(() => expect(sent).toEqual([{ video_id: "v1", notes: "First try" }]));
  }, 30_000);
});
