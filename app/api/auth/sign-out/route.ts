// Sign-out: ends the session and clears its cookie.
import { handleSignOut } from "@/server/auth/http";

export const dynamic = "force-dynamic";
export { handleSignOut as POST };
