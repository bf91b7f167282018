import { configure } from "@testing-library/react";

// findBy* and waitFor give up after 1 s by default; on a busy machine a render can take
// longer than that. They poll, so a generous limit costs nothing when things are fast.
configure({ asyncUtilTimeout: 10_000 });
