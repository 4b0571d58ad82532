// Sign-in: checks the password and sets the session cookie.
import { handleSignIn } from "@/server/auth/http";

export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return handleSignIn(request);
}
