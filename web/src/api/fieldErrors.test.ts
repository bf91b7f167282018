import { describe, expect, it } from "vitest";
import { ApiError } from "./errors";
import { allOnFields, fieldErrors } from "./fieldErrors";

const invalid = (details: unknown) => ApiError.from(422, { error: { code: "invalid", message: "The request is not valid: …", details } });

describe("fieldErrors", () => {
  it("puts the service's 422 details next to their fields, in words", () => {
    const error = invalid([
      { field: "sets", message: "Input should be greater than or equal to 1", type: "greater_than_equal" },
      { field: "title", message: "String should have at least 1 character", type: "string_too_short" },
      { field: "tags.3", message: "String should have at most 40 characters", type: "string_too_long" },
    ]);
    expect(fieldErrors(error, { sets: "Sets", title: "Title", tags: "Tags" })).toEqual({
      sets: "Sets must be at least 1.",
      title: "Title is required.",
      tags: "Tags must be at most 40 characters long.",
    });
    expect(allOnFields(error, { sets: "Sets", title: "Title", tags: "Tags" })).toBe(true);
    expect(allOnFields(error, { sets: "Sets" })).toBe(false);
  });

  it("uses a domain rule's own sentence for the field it names", () => {
    const error = ApiError.from(409, {
      error: { code: "reference_video_missing", message: "Add a reference video before publishing.", details: { field: "reference_video_id" } },
    });
    expect(fieldErrors(error, { reference_video_id: "Reference video" })).toEqual({ reference_video_id: "Add a reference video before publishing." });
  });

  it("leaves other errors to the general note", () => {
    expect(fieldErrors(new ApiError(500, "error", "x"), { sets: "Sets" })).toEqual({});
    expect(fieldErrors(new Error("x"), { sets: "Sets" })).toEqual({});
  });
});
