// The exercise library: searches, the picker's list and the categories, each query's key
// and fetcher defined once; writes elsewhere invalidate through `libraryKeys.all`.
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { api, call } from "../../api/client";

export const DIFFICULTIES = ["beginner", "intermediate", "advanced"] as const;

export interface LibraryFilters {
  q?: string;
  category?: string;
  difficulty?: (typeof DIFFICULTIES)[number];
  tag?: string[];
}

export const libraryKeys = {
  all: ["exercises"] as const,
  search: (filters: LibraryFilters) => ["exercises", "search", filters] as const,
  picker: () => ["exercises", "picker"] as const,
  categories: () => ["categories"] as const,
};

const PAGE = 24;

export const librarySearchQuery = (filters: LibraryFilters) =>
  infiniteQueryOptions({
    queryKey: libraryKeys.search(filters),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      call(api.GET("/api/v1/exercises", { params: { query: { ...filters, cursor: pageParam, limit: PAGE } } })),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });

/** Exercises to pick from when building a playlist. */
export const exercisePickerQuery = () =>
  queryOptions({
    queryKey: libraryKeys.picker(),
    queryFn: () => call(api.GET("/api/v1/exercises", { params: { query: { limit: 100 } } })),
  });

export const categoriesQuery = () =>
  queryOptions({
    queryKey: libraryKeys.categories(),
    queryFn: () => call(api.GET("/api/v1/exercises/categories")),
    staleTime: Infinity,
  });
