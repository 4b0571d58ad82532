"use client";
// Whether the signed-in user may do something, from the server's permission table (for hiding write buttons).
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc-provider";
import type { Permission } from "@/server/auth/permissions";

export function useCurrentUser() {
  const trpc = useTRPC();
  return useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }));
}

/** False while loading, so write buttons appear only once the server has said they are allowed. */
export function usePermission(permission: Permission): boolean {
  const me = useCurrentUser();
  return me.data?.permissions.includes(permission) ?? false;
}
