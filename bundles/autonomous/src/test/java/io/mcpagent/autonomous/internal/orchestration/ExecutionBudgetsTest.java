package io.mcpagent.autonomous.internal.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExecutionBudgetsTest {
    /** Never started: the budget's interrupt reaches no running code. */
    private final Thread execution = new Thread(() -> { });
    private final ExecutionBudgets budgets = new ExecutionBudgets();

    @AfterEach
    void stopTimer() {
        budgets.deactivate();
    }

    @Test
    void aCostBudgetUsedUpIsNamedWithoutTrailingZeros() {
        ExecutionBudgets.Budget budget = budgets.start("e-1", execution, 0, new BigDecimal("0.00030"),
                Duration.ofHours(1), Duration.ZERO);

        budget.add(10, new BigDecimal("0.00040000"));

        assertEquals("cost budget of 0.0003 USD used up (0.0004 USD)", budget.exceeded());
    }

    @Test
    void aCostBudgetFarBelowACentIsNamedInENotationNotWrittenOutToItsLastZero() {
        // the Java API takes any positive budget; written out, this one's name would be a thousand zeros long
        ExecutionBudgets.Budget budget = budgets.start("e-1", execution, 0, new BigDecimal("1e-1000"),
                Duration.ofHours(1), Duration.ZERO);

        budget.add(10, new BigDecimal("0.5"));

        assertEquals("cost budget of 1E-1000 USD used up (0.5 USD)", budget.exceeded());
    }
}
