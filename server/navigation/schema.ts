// Schemas of the command palette's search: what it asks and the hits it gets back, one list per kind of thing.
import { z } from "zod";

export const zStudioSearchInput = z.object({
  text: z.string().trim().min(1, "Type at least one character to search").max(200, "Search text is at most 200 characters"),
  limitPerKind: z.number().int().min(1).max(20).default(6),
});

export const zStudioSearchKind = z.enum(["experiment", "run", "dataset", "model", "review"]);
export type StudioSearchKind = z.infer<typeof zStudioSearchKind>;

export const zStudioSearchHit = z.object({
  kind: zStudioSearchKind,
  /** What the palette shows as the hit's name. */
  title: z.string(),
  /** Where it is: the run's experiment, the review's model version. */
  context: z.string(),
  /** The studio page that opens on Enter. */
  href: z.string(),
});
export type StudioSearchHit = z.infer<typeof zStudioSearchHit>;

export const zStudioSearchResult = z.object({ hits: z.array(zStudioSearchHit) });
export type StudioSearchResult = z.infer<typeof zStudioSearchResult>;
