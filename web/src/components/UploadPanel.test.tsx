import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/errors";
import { fakeUploadService, memoryPending } from "../test/fakes";
import type { PutPart } from "../lib/upload";
import { UploadPanel } from "./UploadPanel";

const KB = 1024;
const clip = () => new File([new Uint8Array(40 * KB)], "squat.mp4", { type: "video/mp4", lastModified: 7 });
const choose = (file: File) => fireEvent.change(document.querySelector('input[type="file"]')!, { target: { files: [file] } });

afterEach(cleanup);

describe("UploadPanel", () => {
  it("after a reload, offers the interrupted upload and resumes it with the same file", async () => {
    const service = fakeUploadService(10 * KB);
    const pending = memoryPending();
    pending.remember(clip(), "v1", "thread:t1");
    service.received.set(1, { etag: '"e1"', size: 10 * KB });
    service.received.set(2, { etag: '"e2"', size: 10 * KB });
    const onUploaded = vi.fn();
    render(<UploadPanel scope="thread:t1" onUploaded={onUploaded} pending={pending} uploadOptions={service} />);

    expect(screen.getByRole("status").textContent).toMatch(/“squat.mp4” \(40.0 KB\) did not finish uploading/);
    choose(clip());
    await waitFor(() => expect(onUploaded).toHaveBeenCalledWith(expect.objectContaining({ id: "v1" })));
    expect(service.log).toContain("urls 3,4");
    expect(screen.queryByRole("status")).toBeNull();
  });

  it("does not offer another screen's upload", () => {
    const pending = memoryPending();
    pending.remember(clip(), "v1", "exercise:new");
    render(<UploadPanel scope="thread:t1" onUploaded={() => undefined} pending={pending} />);
    expect(screen.queryByRole("status")).toBeNull();
  });

  it("says why an upload stopped, and Resume continues it", async () => {
    const service = fakeUploadService(10 * KB);
    let offline = true;
    const putPart: PutPart = async (...args) => {
      if (offline) throw ApiError.network(null);
      return service.putPart(...args);
    };
    const onUploaded = vi.fn();
    render(
      <UploadPanel
        scope="thread:t1"
        onUploaded={onUploaded}
        pending={memoryPending()}
        uploadOptions={{ remote: service.remote, putPart, retries: 0 }}
      />,
    );
    choose(clip());
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toMatch(/stopped: You seem to be offline/);

    offline = false;
    fireEvent.click(screen.getByRole("button", { name: "Resume upload" }));
    await waitFor(() => expect(onUploaded).toHaveBeenCalledOnce());
    expect(service.log.filter((l) => l === "start")).toHaveLength(1); // resumed, not restarted
  });
});
