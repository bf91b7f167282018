// Words for the service's identifiers: categories, difficulties and counts as people say them.

const CATEGORY_WORDS: Record<string, string> = { martial_arts: "Martial arts", rehab: "Rehab" };

/** "martial_arts" -> "Martial arts"; an unknown id reads the same way. */
export function categoryLabel(id: string): string {
  const known = CATEGORY_WORDS[id];
  if (known) return known;
  const words = id.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function difficultyLabel(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}

/** plural(1, "set") -> "1 set"; plural(3, "set") -> "3 sets"; plural(2, "rep", "reps"). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
