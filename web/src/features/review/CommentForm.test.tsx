import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/errors";
import { CommentForm, type DrawingControls } from "./CommentForm";

const draw: DrawingControls = {
  drawing: null,
  active: false,
  tool: "freehand",
  color: "#ff3b30",
  toggle: () => {},
  clear: () => {},
  setTool: () => {},
  setColor: () => {},
};

afterEach(cleanup);

function renderForm(onPost: (c: unknown) => Promise<unknown>, error: unknown = null) {
  return render(
    <CommentForm range={{ start: 1200, end: 2700 }} replyTo={null} onCancelReply={() => {}} draw={draw} onPost={onPost} error={error} pending={false} />,
  );
}

describe("CommentForm", () => {
  it("posts the text on the selected range, then clears the box", async () => {
    const onPost = vi.fn(async () => ({}));
    renderForm(onPost);
    expect(screen.getByRole("heading").textContent).toContain("0:01.2–0:02.7");
    const box = screen.getByLabelText("Comment") as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: "  Knees out here  " } });
    fireEvent.change(screen.getByLabelText("Kind of comment"), { target: { value: "cue" } });
    fireEvent.click(screen.getByRole("button", { name: "Post comment" }));
    await waitFor(() => expect(box.value).toBe(""));
    expect(onPost).toHaveBeenCalledWith({ t_start_ms: 1200, t_end_ms: 2700, body: "Knees out here", kind: "cue", reply_to_id: null, drawing: null });
  });

  it("keeps the text when the post fails, and says why", async () => {
    const failure = ApiError.from(503, undefined);
    const onPost = vi.fn(async () => {
      throw failure;
    });
    const { rerender } = renderForm(onPost);
    const box = screen.getByLabelText("Comment") as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: "Slow the descent" } });
    fireEvent.click(screen.getByRole("button", { name: "Post comment" }));
    await waitFor(() => expect(onPost).toHaveBeenCalled());
    rerender(
      <CommentForm range={{ start: 1200, end: 2700 }} replyTo={null} onCancelReply={() => {}} draw={draw} onPost={onPost} error={failure} pending={false} />,
    );
    expect(box.value).toBe("Slow the descent");
    expect(screen.getByRole("alert").textContent).toMatch(/briefly unavailable/);
  });
});

describe("CommentForm limits and kinds", () => {
  const form = (props: Partial<Parameters<typeof CommentForm>[0]> = {}) => (
    <CommentForm range={{ start: 0, end: 0 }} replyTo={null} onCancelReply={() => {}} draw={draw} onPost={async () => ({})} error={null} pending={false} {...props} />
  );

  it("counts characters near the 5,000 limit and refuses more, instead of cutting silently", () => {
    render(form());
    const box = screen.getByLabelText("Comment") as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: "a".repeat(100) } });
    expect(screen.queryByTestId("comment-count")).toBeNull();
    fireEvent.change(box, { target: { value: "a".repeat(4600) } });
    expect(screen.getByTestId("comment-count").textContent).toBe("4,600 / 5,000");
    fireEvent.change(box, { target: { value: "a".repeat(5010) } });
    expect(box.value.length).toBe(5010); // nothing cut off
    expect(screen.getByTestId("comment-count").textContent).toContain("10 over");
    expect((screen.getByRole("button", { name: "Post comment" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("defaults a learner's comment to a question, a coach's to a correction, a reply to no kind", () => {
    const kind = () => (screen.getByLabelText("Kind of comment") as HTMLSelectElement).value;
    const { rerender } = render(form({ asLearner: true }));
    expect(kind()).toBe("question");
    rerender(form({ asLearner: false }));
    expect(kind()).toBe("correction");
    const parent = { id: "c1", author: { id: "a", display_name: "Ana" } } as never;
    rerender(form({ asLearner: true, replyTo: parent }));
    expect(kind()).toBe("");
  });
});
