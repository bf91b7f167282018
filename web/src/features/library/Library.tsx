import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useLocation, useSearchParams } from "react-router";
import { Empty, ErrorNote, Loading } from "../../components/ui";
import { categoryLabel, difficultyLabel, plural } from "../../lib/labels";
import { plainText } from "../../lib/markdown";
import { Thumbnail } from "../../components/Thumbnail";
import { usePageTitle } from "../../lib/title";
import { categoriesQuery, DIFFICULTIES, librarySearchQuery, type LibraryFilters } from "./api";


export function Library() {
  const [params, setParams] = useSearchParams();
  const joined = (useLocation().state as { joined?: string } | null)?.joined;
  const [text, setText] = useState(params.get("q") ?? "");
  const filters: LibraryFilters = {
    q: params.get("q") || undefined,
    category: params.get("category") || undefined,
    difficulty: (params.get("difficulty") || undefined) as (typeof DIFFICULTIES)[number] | undefined,
    tag: params.get("tag") ? [params.get("tag")!] : undefined,
  };
  const categories = useQuery(categoriesQuery());
  const list = useInfiniteQuery(librarySearchQuery(filters));
  const update = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const first = list.data?.pages[0];
  usePageTitle(filters.q ? `“${filters.q}” in the library` : "Exercise library");
  return (
    <section aria-labelledby="library-title">
      <div className="row spread">
        <h1 id="library-title">Exercise library</h1>
        <Link className="button" to="/exercises/new">
          New exercise
        </Link>
      </div>
      {joined && (
        <p className="notice" role="status" data-testid="joined">
          You’re now practising with {joined}. Their exercises are in your library.
        </p>
      )}
      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          update("q", text.trim());
        }}
      >
        <input aria-label="Search exercises" placeholder="Search: squat, kata, hip…" value={text} onChange={(e) => setText(e.target.value)} />
        <select aria-label="Category" value={filters.category ?? ""} onChange={(e) => update("category", e.target.value)}>
          <option value="">All categories</option>
          {categories.data?.map((c) => (
            <option key={c} value={c}>
              {categoryLabel(c)}
            </option>
          ))}
        </select>
        <select aria-label="Difficulty" value={filters.difficulty ?? ""} onChange={(e) => update("difficulty", e.target.value)}>
          <option value="">Any level</option>
          {DIFFICULTIES.map((d) => (
            <option key={d} value={d}>
              {difficultyLabel(d)}
            </option>
          ))}
        </select>
        <button type="submit">Search</button>
        {params.get("tag") && (
          <button type="button" className="chip" onClick={() => update("tag", "")}>
            #{params.get("tag")} ✕
          </button>
        )}
      </form>
      {list.isLoading && <Loading what="Loading exercises" />}
      <ErrorNote error={list.error} retry={() => list.refetch()} />
      {first && (
        <p className="muted result-count" role="status" data-testid="result-count">
          {first.corrected_q ? (
            <>
              No exercises match “{filters.q}”. Showing {plural(first.total, "result")} for “
              <button type="button" className="link" onClick={() => {
                setText(first.corrected_q!);
                update("q", first.corrected_q!);
              }}>
                {first.corrected_q}
              </button>
              ”.
            </>
          ) : (
            plural(first.total, "exercise")
          )}
        </p>
      )}
      {list.isSuccess && items.length === 0 && <Empty>No exercises match. Try fewer filters.</Empty>}
      <ul className="grid">
        {items.map((exercise) => (
          <li key={exercise.id} className="card exercise-card">
            {/* Every card gets the same picture slot: a poster, or a placeholder without one. */}
            <Link to={`/exercises/${exercise.id}`} tabIndex={-1} aria-hidden="true" className="card-thumb">
              <Thumbnail video={exercise.reference_video} width={320} />
            </Link>
            <Link to={`/exercises/${exercise.id}`}>
              <h2>{exercise.title}</h2>
            </Link>
            {!exercise.published_at && <span className="badge draft">Draft</span>}
            <p className="muted">
              {categoryLabel(exercise.category)} · {difficultyLabel(exercise.difficulty)} · by {exercise.author.display_name}
            </p>
            <p className="clamp">{plainText(exercise.description)}</p>
            <div className="tags">
              {exercise.tags.map((tag) => (
                <button key={tag} type="button" className="chip" onClick={() => update("tag", tag)}>
                  #{tag}
                </button>
              ))}
            </div>
          </li>
        ))}
      </ul>
      {list.hasNextPage && (
        <button type="button" onClick={() => list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? "Loading…" : "Show more"}
        </button>
      )}
    </section>
  );
}
