// How a labelling queue picks served rows: shared by the table, the zod contracts and the queue page.
export const labellingStrategies = ["random", "low_confidence", "disagreement"] as const;
export type LabellingStrategy = (typeof labellingStrategies)[number];
