// Where the journeys find the studio under test and how they sign in to it.
/** E2E_PORT lets two checkouts on one machine run their journeys side by side. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
/** The first admin's password, given to the fresh studio through STUDIO_ADMIN_PASSWORD (10+ characters). */
export const E2E_ADMIN_USERNAME = "admin";
export const E2E_ADMIN_PASSWORD = "e2e-admin-password-0417";
/** The signed-in browser state the sign-in setup writes and the journeys start from (test-results/ is ignored by git). */
export const E2E_STORAGE_STATE = "test-results/.auth/admin.json";
/** Password of the demo users (alice/editor, bob/reviewer, victor/viewer), given through STUDIO_DEMO_PASSWORD. */
export const E2E_DEMO_PASSWORD = "e2e-demo-password-0417";
