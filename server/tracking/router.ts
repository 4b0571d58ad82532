// tRPC procedures of the tracking area for the studio's pages: zod in → service → result.
import { z } from "zod";
import { createTrpcRouter, protectedProcedure } from "../trpc";
import {
  createExperiment,
  getExperiment,
  renameExperiment,
  searchExperiments,
  setExperimentLifecycle,
} from "./experiments";
import { getPackedChartSeries, zChartSeriesInput } from "./chart-data";
import { getMetricSummaries, zMetricSummaryInput } from "./metric-summary";
import { getCompareSelection, saveCompareSelection, zCompareSelectionId, zSaveCompareSelection } from "./compare-selections";
import { getMetricHistory } from "./metric-history";
import { listRunArtifacts } from "./run-artifacts";
import { setRunNote, zSetRunNote } from "./run-notes";
import { getRun, loadRuns } from "./runs";
import { listRunLoggedModels } from "./run-logged-models";
import { deleteRunTag, getRunFamily, renameRun, setRunDeleted, setRunTag, zRenameRun, zRunTag, zRunTagKey, zSetRunDeleted } from "./run-management";
import {
  deletePrivateView,
  deleteView,
  listSavedViews,
  savePrivateView,
  saveView,
  setDefaultView,
  shareView,
  zDeleteView,
  zListSavedViews,
  zSavePrivateView,
  zSaveView,
  zSetDefaultView,
} from "./saved-views";
import { listRunsTable, zRunsTableInput } from "./runs-table";
import { listRunGroups, zRunGroupsInput, zRunGroupsOutput } from "./run-groups";
import { listExperimentSummaries } from "./experiment-summaries";
import { listRunKeys, zRunKeysInput } from "./run-keys";
import { zCreateExperiment, zViewType } from "./schema";

export const trackingRouter = createTrpcRouter({
  experimentSummaries: protectedProcedure
    .input(z.object({ search: z.string().max(500).optional(), viewType: zViewType.optional() }))
    .query(({ ctx, input }) => listExperimentSummaries(ctx, input)),
  experiment: protectedProcedure
    .input(z.object({ experimentId: z.string() }))
    .query(({ ctx, input }) => getExperiment(ctx, input.experimentId)),
  searchExperiments: protectedProcedure
    .input(z.object({ filter: z.string().max(1000).optional() }))
    .query(({ ctx, input }) => searchExperiments(ctx, { filter: input.filter })),
  createExperiment: protectedProcedure.input(zCreateExperiment).mutation(({ ctx, input }) => createExperiment(ctx, input)),
  renameExperiment: protectedProcedure
    .input(z.object({ experimentId: z.string(), newName: z.string().trim().min(1).max(500) }))
    .mutation(({ ctx, input }) => renameExperiment(ctx, input.experimentId, input.newName)),
  setExperimentDeleted: protectedProcedure
    .input(z.object({ experimentId: z.string(), deleted: z.boolean() }))
    .mutation(({ ctx, input }) => setExperimentLifecycle(ctx, input.experimentId, input.deleted ? "deleted" : "active")),
  /** The runs table: a search page carrying only the chosen columns, top-level runs only when collapsed to a tree. */
  runsTable: protectedProcedure.input(zRunsTableInput).query(({ ctx, input }) => listRunsTable(ctx, input)),
  /** The runs table grouped by a param or tag: each group's runs and its metrics' mean and min–max. */
  runGroups: protectedProcedure
    .input(zRunGroupsInput)
    .output(zRunGroupsOutput)
    .query(({ ctx, input }) => listRunGroups(ctx, input)),
  /** Every metric, param and tag key in the experiments' active runs. */
  runKeys: protectedProcedure.input(zRunKeysInput).query(({ ctx, input }) => listRunKeys(ctx, input)),
  run: protectedProcedure.input(z.object({ runId: z.string() })).query(({ ctx, input }) => getRun(ctx, input.runId)),
  /** Whole runs by id in the order given (unknown ids left out): the compare view's runs. */
  runsByIds: protectedProcedure
    .input(z.object({ runIds: z.array(z.string().min(1).max(64)).min(1, "Choose at least one run").max(5000, "Compare at most 5000 runs at once") }))
    .query(({ ctx, input }) => loadRuns(ctx.db, input.runIds)),
  metricHistory: protectedProcedure
    .input(z.object({ runId: z.string(), key: z.string() }))
    .query(({ ctx, input }) => getMetricHistory(ctx, { run_id: input.runId, metric_key: input.key })),
  /** Metric series of many runs for the compare charts, reduced to about maxPoints per series, packed as typed-array columns. */
  chartSeries: protectedProcedure.input(zChartSeriesInput).query(({ ctx, input }) => getPackedChartSeries(ctx, input)),
  /** Last, lowest and highest value (with steps) per run and metric: the compare page's summary table. */
  metricSummary: protectedProcedure.input(zMetricSummaryInput).query(({ ctx, input }) => getMetricSummaries(ctx, input)),
  /** Keeps a long compare selection server-side; its link carries the returned short id. */
  saveCompareSelection: protectedProcedure.input(zSaveCompareSelection).mutation(({ ctx, input }) => saveCompareSelection(ctx, input)),
  compareSelection: protectedProcedure.input(zCompareSelectionId).query(({ ctx, input }) => getCompareSelection(ctx, input)),
  /** One folder of a run's artifacts (the root when path is empty); paths are relative to the run's artifact root. */
  runArtifacts: protectedProcedure
    .input(z.object({ runId: z.string().min(1).max(64), path: z.string().max(4000).default("") }))
    .query(({ ctx, input }) => listRunArtifacts(ctx, input.runId, input.path)),
  /** Named views of an experiment (runs table or compare), shared with its readers. */
  savedViews: protectedProcedure.input(zListSavedViews).query(({ ctx, input }) => listSavedViews(ctx, input)),
  saveView: protectedProcedure.input(zSaveView).mutation(({ ctx, input }) => saveView(ctx, input)),
  deleteView: protectedProcedure.input(zDeleteView).mutation(({ ctx, input }) => deleteView(ctx, input)),
  savePrivateView: protectedProcedure.input(zSavePrivateView).mutation(({ ctx, input }) => savePrivateView(ctx, input)),
  deletePrivateView: protectedProcedure.input(zDeleteView).mutation(({ ctx, input }) => deletePrivateView(ctx, input)),
  shareView: protectedProcedure.input(zDeleteView).mutation(({ ctx, input }) => shareView(ctx, input)),
  setDefaultView: protectedProcedure.input(zSetDefaultView).mutation(({ ctx, input }) => setDefaultView(ctx, input)),
  setRunNote: protectedProcedure.input(zSetRunNote).mutation(({ ctx, input }) => setRunNote(ctx, input)),
  renameRun: protectedProcedure.input(zRenameRun).mutation(({ ctx, input }) => renameRun(ctx, input)),
  setRunTag: protectedProcedure.input(zRunTag).mutation(({ ctx, input }) => setRunTag(ctx, input)),
  deleteRunTag: protectedProcedure.input(zRunTagKey).mutation(({ ctx, input }) => deleteRunTag(ctx, input)),
  setRunDeleted: protectedProcedure.input(zSetRunDeleted).mutation(({ ctx, input }) => setRunDeleted(ctx, input)),
  /** The MLflow models the run logged (log_model), with their ONNX file and registered versions. */
  runLoggedModels: protectedProcedure.input(z.object({ runId: z.string().min(1).max(64) })).query(({ ctx, input }) => listRunLoggedModels(ctx, input.runId)),
  /** The run's parent (mlflow.parentRunId) and its child runs. */
  runFamily: protectedProcedure.input(z.object({ runId: z.string().min(1).max(64) })).query(({ ctx, input }) => getRunFamily(ctx, input.runId)),
});
