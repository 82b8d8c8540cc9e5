package io.salesvoice.crm.bitrix;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OperatingBudgetTest {

  private final OperatingBudget budget = new OperatingBudget(480, 0.9, 600_000);

  @Test
  void aMethodWellWithinItsTimeIsNotHeldBack() {
    budget.report("crm.lead.add", 100, 10_000);
    assertThat(budget.waitBeforeCalling("crm.lead.add", 1_000)).isZero();
  }

  @Test
  void aMethodCloseToTheLimitWaitsForTheReset() {
    budget.report("crm.lead.list", 440, 61_000);
    assertThat(budget.waitBeforeCalling("crm.lead.list", 1_000)).isEqualTo(60_000);
    assertThat(budget.waitBeforeCalling("CRM.LEAD.LIST", 1_000)).as("method names are case-insensitive")
        .isEqualTo(60_000);
    assertThat(budget.waitBeforeCalling("crm.lead.add", 1_000)).as("other methods go on").isZero();
    assertThat(budget.waitBeforeCalling("crm.lead.list", 61_000)).as("after the reset").isZero();
  }

  @Test
  void aBlockedMethodWaitsTenMinutesWhenThePortalDidNotSayHowLong() {
    budget.blocked("crm.activity.list", 5_000);
    assertThat(budget.waitBeforeCalling("crm.activity.list", 5_000)).isEqualTo(600_000);
  }

  @Test
  void aBlockedMethodWaitsForTheReportedReset() {
    budget.report("crm.activity.list", 300, 90_000);
    budget.blocked("crm.activity.list", 10_000);
    assertThat(budget.waitBeforeCalling("crm.activity.list", 10_000)).isEqualTo(80_000);
  }
}
