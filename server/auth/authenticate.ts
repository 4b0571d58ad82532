// Resolves the acting user of an HTTP request. Until accounts exist, every request acts as the local user.
import { localActor, type Actor } from "./actor";

export async function authenticateRequest(_request: Request): Promise<Actor> {
  return localActor;
}
