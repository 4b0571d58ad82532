// The name a playground field is posted under (the server-rendered form's post, read by server/registry/playground-form).

/** Prefixed, so a model input called "model" or "$ACTION_ID" cannot meet the form's own fields or React's. */
export function playgroundFieldName(key: string): string {
  return `field:${key}`;
}
