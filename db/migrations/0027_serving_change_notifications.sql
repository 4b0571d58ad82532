-- Serving replicas follow what a model reference resolves to (aliases, production, canary/shadow routes, reviews that
-- vouch for a version, versions removed or their bytes changed) through NOTIFY studio_serving, payload the model's
-- name ('*' when it is gone already: every model is read afresh). Triggers rather than calls at each write site: the
-- notification is sent by the changing transaction itself (delivered at commit, never for a rollback), and no write
-- path (tRPC, MLflow REST, guards, a later one) can forget it. Duplicate payloads of one transaction collapse into one.
CREATE OR REPLACE FUNCTION studio_notify_serving() RETURNS trigger AS $$
DECLARE
  changed jsonb;
  changed_model bigint;
  changed_name text;
BEGIN
  IF TG_OP = 'DELETE' THEN changed := to_jsonb(OLD); ELSE changed := to_jsonb(NEW); END IF;
  IF TG_TABLE_NAME = 'registered_models' THEN
    PERFORM pg_notify('studio_serving', changed->>'name');
    IF TG_OP = 'UPDATE' THEN PERFORM pg_notify('studio_serving', to_jsonb(OLD)->>'name'); END IF;
    RETURN NULL;
  END IF;
  IF changed ? 'model_id' THEN
    changed_model := (changed->>'model_id')::bigint;
  ELSIF changed ? 'model_version_id' THEN
    SELECT model_id INTO changed_model FROM model_versions WHERE version_id = (changed->>'model_version_id')::bigint;
  END IF;
  IF changed_model IS NOT NULL THEN
    SELECT name INTO changed_name FROM registered_models WHERE model_id = changed_model;
  END IF;
  PERFORM pg_notify('studio_serving', coalesce(changed_name, '*'));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER registered_model_aliases_notify_serving AFTER INSERT OR UPDATE OR DELETE ON registered_model_aliases
  FOR EACH ROW EXECUTE FUNCTION studio_notify_serving();
--> statement-breakpoint
CREATE TRIGGER registered_models_notify_serving AFTER UPDATE OF name OR DELETE ON registered_models
  FOR EACH ROW EXECUTE FUNCTION studio_notify_serving();
--> statement-breakpoint
CREATE TRIGGER model_versions_notify_serving AFTER UPDATE OF onnx_path, model_digest, current_stage, status, model_id OR DELETE ON model_versions
  FOR EACH ROW EXECUTE FUNCTION studio_notify_serving();
--> statement-breakpoint
CREATE TRIGGER deployment_routes_notify_serving AFTER INSERT OR UPDATE OF canary_version_id, canary_share, shadow_version_id OR DELETE ON deployment_routes
  FOR EACH ROW EXECUTE FUNCTION studio_notify_serving();
--> statement-breakpoint
CREATE TRIGGER reviews_notify_serving AFTER INSERT OR UPDATE OF status, value_settings, model_version_id OR DELETE ON reviews
  FOR EACH ROW EXECUTE FUNCTION studio_notify_serving();
--> statement-breakpoint
CREATE TRIGGER alias_events_notify_serving AFTER INSERT ON alias_events
  FOR EACH ROW EXECUTE FUNCTION studio_notify_serving();
