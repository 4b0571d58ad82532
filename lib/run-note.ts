// Where MLflow keeps a run's notes, and how long they may be: shared by the run page and the tracking service.

/** MLflow's UI stores a run's description (markdown) in this tag; the stock client reads it there too. */
export const RUN_NOTE_TAG = "mlflow.note.content";

/** Notes are a tag value, so MLflow's tag value limit applies (server/tracking/validation.ts MAX_TAG_VALUE_LENGTH). */
export const RUN_NOTE_MAX_LENGTH = 8000;
