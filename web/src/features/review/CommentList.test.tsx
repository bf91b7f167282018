import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Comment } from "../../api/client";
import { ApiError } from "../../api/errors";
import { CommentList } from "./CommentList";

const comment = (id: string, author: string, body: string, extra: Partial<Comment> = {}): Comment => ({
  id,
  thread_id: "t",
  video_id: "v",
  author: { id: author.toLowerCase(), display_name: author },
  reply_to_id: null,
  t_start_ms: 1000,
  t_end_ms: 2000,
  body,
  kind: null,
  tags: [],
  drawing: null,
  created_at: new Date().toISOString(),
  updated_at: new Date().toISOString(),
  edited_at: null,
  deleted_at: null,
  ...extra,
});

afterEach(cleanup);

const noop = async () => undefined;

describe("CommentList", () => {
  it("seeks from a comment's time, marks replies and deleted comments", () => {
    const onPick = vi.fn();
    render(
      <CommentList
        comments={[
          comment("a", "Lea", "Knee caves?"),
          comment("b", "Ana", "Push it out", { reply_to_id: "a" }),
          comment("c", "Ana", "", { deleted_at: "2026-01-01T00:00:00Z" }),
        ]}
        meId="lea"
        onPick={onPick}
        onReply={() => {}}
        onEdit={noop}
        onDelete={noop}
      />,
    );
    fireEvent.click(screen.getAllByRole("button", { name: "0:01.0–0:02.0" })[1]);
    expect(onPick).toHaveBeenCalledWith(expect.objectContaining({ id: "b" }));
    expect(screen.getByText("↳ replying to Lea")).toBeTruthy();
    expect(screen.getByText("This comment was deleted.")).toBeTruthy();
    // Only one's own comments can be edited.
    expect(screen.getAllByRole("button", { name: "Edit" })).toHaveLength(1);
  });

  it("keeps an edit open with its text when saving fails", async () => {
    const onEdit = vi.fn(async () => {
      throw new ApiError(409, "comment_deleted", "This comment was deleted meanwhile.");
    });
    render(<CommentList comments={[comment("a", "Lea", "Knee caves?")]} meId="lea" onPick={() => {}} onReply={() => {}} onEdit={onEdit} onDelete={noop} />);
    fireEvent.click(screen.getByRole("button", { name: "Edit" }));
    fireEvent.change(screen.getByLabelText("Edit comment"), { target: { value: "Knee caves at the bottom?" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toMatch(/deleted meanwhile/));
    expect((screen.getByLabelText("Edit comment") as HTMLTextAreaElement).value).toBe("Knee caves at the bottom?");
  });
});

describe("CommentList long comments", () => {
  it("collapses a long comment behind Show more", () => {
    const long = "A long note. ".repeat(80);
    render(
      <CommentList
        comments={[comment("a", "Ana", long)]}
        meId="lea"
        onPick={() => {}}
        onReply={() => {}}
        onEdit={noop}
        onDelete={noop}
      />,
    );
    const more = screen.getByRole("button", { name: "Show more" });
    expect(more.getAttribute("aria-expanded")).toBe("false");
    expect(document.querySelector(".comment-body.collapsed")).toBeTruthy();
    fireEvent.click(more);
    expect(screen.getByRole("button", { name: "Show less" })).toBeTruthy();
    expect(document.querySelector(".comment-body.collapsed")).toBeNull();
  });
});
