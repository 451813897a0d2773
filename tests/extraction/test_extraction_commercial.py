"""Commercial terms and obligations on short written clauses, one drafting habit each.

Each clause is read through the whole rules extractor (so the precedence between rules is
part of what is tested), except the key-value table rows, whose rule is tested directly.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from contractsync.documents import read_document
from contractsync.extraction import RulesExtractor
from contractsync.extraction._calibration import Calibration
from contractsync.extraction._candidate import Candidate
from contractsync.extraction._rules_tables import labelled_lines, table_rows
from contractsync.extraction._text import ContractText
from contractsync.model import BillingFrequency, Duration, Money, Obligation, ObligationKind


def _found(clauses: str) -> list[Candidate]:
    text = (
        f"SERVICES AGREEMENT\n\n1. Services. Vendor provides the Services.\n\n2. Terms. {clauses}\n"
    )
    return list(RulesExtractor().extract(read_document(text.encode(), name="contract.txt")))


def _field(clauses: str, field: str) -> Candidate | None:
    return next((c for c in _found(clauses) if c.field == field), None)


def _obligations(clauses: str) -> list[Obligation]:
    return [c.value for c in _found(clauses) if c.field == "obligations"]


# Price escalators ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "percent", "index", "cap"),
    [
        pytest.param("The Fees shall increase by 3% on each anniversary of the Effective Date.",
                     "3", None, None, id="subject-before-verb"),
        pytest.param("Thereafter, prices shall be adjusted annually by the change in the CPI-U, "
                     "not to exceed 4%.", None, "CPI-U", "4", id="index-with-cap"),
        pytest.param("Vendor may increase the Fees by up to a maximum of five percent (5%) per "
                     "year.", "5", None, "5", id="cap-only-in-words"),
        pytest.param("The Charges shall be adjusted on each January 1 by the lesser of (i) 3% or "
                     "(ii) the increase in the Employment Cost Index.", None, "ECI", "3",
                     id="lesser-of-percent-or-index"),
        pytest.param("The Subscription Fees shall be increased annually in line with the Consumer "
                     "Price Index, capped at 2.5%.", None, "CPI", "2.5", id="index-in-words"),
        pytest.param("The Charges shall be uplifted annually by RPI plus 1%.", "1", "RPI", None,
                     id="index-plus-percent"),
        pytest.param("Licence fees shall be indexed annually to the Harmonised Index of Consumer "
                     "Prices (HICP).", None, "HICP", None, id="indexed-to"),
    ],
)  # fmt: skip
def test_price_escalators_as_drafted(
    clause: str, percent: str | None, index: str | None, cap: str | None
) -> None:
    found = _field(clause, "price_escalator")
    assert found is not None
    assert found.value.percent == (Decimal(percent) if percent else None)
    assert found.value.index == index
    assert found.value.cap_percent == (Decimal(cap) if cap else None)
    assert found.value.every == Duration(months=12)


@pytest.mark.parametrize(
    "clause",
    [
        pytest.param("Vendor may increase its insurance limits by 10% each year.", id="insurance"),
        pytest.param("Customer's headcount is expected to increase by 5% annually, and the Fees "
                     "are fixed for the Term.", id="headcount-beside-fees"),
        pytest.param("The number of Users may increase by 10% without any change to the Fees.",
                     id="users-before-fees"),
        pytest.param("The interest rate on late payments shall increase by 2% after 60 days.",
                     id="interest-rate"),
        pytest.param("Vendor may increase the Fees upon thirty (30) days' prior written notice.",
                     id="no-percent-or-index"),
        pytest.param("Licensee shall pay PPI the royalties, as adjusted under Exhibit A.",
                     id="party-initials-look-like-an-index"),
    ],
)  # fmt: skip
def test_increases_that_are_not_price_escalators(clause: str) -> None:
    assert _field(clause, "price_escalator") is None


# Billing frequency ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clauses", "frequency"),
    [
        pytest.param("If availability falls below 99.9%, Customer shall receive a service credit "
                     "of 5% of the monthly fees. The annual fee shall be paid in four (4) equal "
                     "quarterly installments.", BillingFrequency.QUARTERLY,
                     id="installments-over-fee-in-credit-clause"),
        pytest.param("Customer shall pay the monthly subscription fees. Fees are invoiced "
                     "quarterly.", BillingFrequency.QUARTERLY, id="invoiced-over-fee-name"),
        pytest.param("All Fees are billed monthly in advance.", BillingFrequency.MONTHLY,
                     id="billed-in-advance"),
        pytest.param("The Fees are payable in quarterly installments.",
                     BillingFrequency.QUARTERLY, id="payable-in-installments"),
        pytest.param("The annual fee is payable annually in advance.", BillingFrequency.ANNUAL,
                     id="annual-fee-payable-annually"),
        pytest.param("Customer shall pay an annual fee of $120,000 per year. Vendor shall invoice "
                     "Customer quarterly in advance.", BillingFrequency.QUARTERLY,
                     id="amount-per-year-is-a-rate"),
        pytest.param("A one-time setup fee of $5,000 applies. Monthly subscription fees apply "
                     "thereafter.", BillingFrequency.MONTHLY, id="recurring-over-one-time"),
    ],
)  # fmt: skip
def test_billing_frequency_prefers_invoicing(clauses: str, frequency: BillingFrequency) -> None:
    found = _field(clauses, "billing_frequency")
    assert found is not None
    assert found.value is frequency


def test_billing_frequency_from_a_fee_name_alone_is_less_sure() -> None:
    named = _field("Customer shall pay the monthly subscription fees set out in the Order.",
                   "billing_frequency")  # fmt: skip
    invoiced = _field("Vendor shall invoice the fees monthly in arrears.", "billing_frequency")
    assert named is not None
    assert invoiced is not None
    assert named.value is invoiced.value is BillingFrequency.MONTHLY
    assert named.rule == "fee_named"
    assert named.confidence < invoiced.confidence


@pytest.mark.parametrize(
    "clause",
    [
        pytest.param("Vendor shall provide monthly reports of usage.", id="monthly-reports"),
        pytest.param("Late payments bear interest at 1.5% per month.", id="interest-per-month"),
        pytest.param("Annual sales plans will be due on November 30 each year.", id="plans-due"),
    ],
)
def test_frequencies_that_are_not_billing(clause: str) -> None:
    assert _field(clause, "billing_frequency") is None


# Payment terms and contract value -------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "days"),
    [
        pytest.param("All invoices are payable Net 45.", 45, id="net"),
        pytest.param("Invoices are payable within forty-five (45) days of receipt of invoice.", 45,
                     id="words-and-digits"),
        pytest.param("Customer shall pay within 45 days after the date of Vendor's invoice.", 45,
                     id="owner-of-invoice"),
        pytest.param("Customer shall notify Vendor of any disputed amount within ten (10) days of "
                     "receipt of the invoice. Customer shall pay all undisputed amounts within "
                     "thirty (30) days of receipt of the invoice.", 30,
                     id="dispute-window-first"),
    ],
)  # fmt: skip
def test_payment_terms_as_drafted(clause: str, days: int) -> None:
    found = _field(clause, "payment_terms_days")
    assert found is not None
    assert found.value == days


def test_a_dispute_window_is_not_payment_terms() -> None:
    clause = "Customer shall notify Vendor of any disputed amount within ten (10) days of invoice."
    assert _field(clause, "payment_terms_days") is None


@pytest.mark.parametrize(
    ("clause", "money"),
    [
        pytest.param("The total contract value is USD 2,400,000.",
                     Money(amount=Decimal(2400000), currency="USD"), id="iso-code"),
        pytest.param("The Contract Value is $2.4 million over the Initial Term.",
                     Money(amount=Decimal(2400000), currency="USD"), id="scaled-dollars"),
        pytest.param("The aggregate fees payable under this Agreement shall be EUR 1,000,000.",
                     Money(amount=Decimal(1000000), currency="EUR"), id="aggregate-fees"),
        pytest.param("The Fees under this Statement of Work shall not exceed $250,000.",
                     Money(amount=Decimal(250000), currency="USD"), id="fees-not-to-exceed"),
    ],
)  # fmt: skip
def test_total_value_as_drafted(clause: str, money: Money) -> None:
    found = _field(clause, "total_value")
    assert found is not None
    assert found.value.currency == money.currency
    assert found.value.amount == money.amount


@pytest.mark.parametrize(
    "clause",
    [
        pytest.param("Vendor's aggregate liability shall not exceed the total fees paid, up to a "
                     "maximum amount of $1,000,000.", id="liability-cap"),
        pytest.param("Vendor shall be reimbursed for travel expenses not to exceed $5,000.",
                     id="expense-ceiling"),
        pytest.param("The total price is $12.50 per unit.", id="unit-price"),
        pytest.param("The total fees may be increased by $10,000 for additional work.",
                     id="increment"),
        pytest.param("The minimum aggregate fees are $3,000,000.", id="minimum"),
    ],
)  # fmt: skip
def test_amounts_that_are_not_the_contract_value(clause: str) -> None:
    assert _field(clause, "total_value") is None


@pytest.mark.parametrize(
    "clause",
    [
        pytest.param("Customer shall pay Vendor $120,000 per annum.", id="per-annum"),
        pytest.param("The Annual Subscription Fee: USD 120,000.", id="annual-fee-named"),
        pytest.param("Customer shall pay a one-time fee of $5,000 and an annual fee of $120,000.",
                     id="first-amount-is-not-annual"),
    ],
)  # fmt: skip
def test_annual_value_as_drafted(clause: str) -> None:
    found = _field(clause, "annual_value")
    assert found is not None
    assert found.value == Money(amount=Decimal(120000), currency="USD")


# Service levels ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "levels"),
    [
        pytest.param("Vendor shall respond to Severity 1 issues within four (4) hours and resolve "
                     "Severity 1 issues within 24 hours.",
                     [("response_time:severity_1", "4", "hours"),
                      ("resolution_time:severity_1", "24", "hours")], id="respond-and-resolve"),
        pytest.param("Severity 1: response within 1 hour; resolution within 4 hours.",
                     [("response_time:severity_1", "1", "hours"),
                      ("resolution_time:severity_1", "4", "hours")], id="severity-heads-a-list"),
        pytest.param("Vendor shall acknowledge each support ticket within 30 minutes.",
                     [("response_time", "30", "minutes")], id="no-severity"),
        pytest.param("Priority 2 incidents shall be resolved within two (2) business days.",
                     [("resolution_time:priority_2", "2", "business_days")], id="business-days"),
    ],
)  # fmt: skip
def test_support_response_and_resolution_times(
    clause: str, levels: list[tuple[str, str, str]]
) -> None:
    slas = [o for o in _obligations(clause) if o.kind is ObligationKind.SERVICE_LEVEL]
    read = [(o.service_level.metric, str(o.service_level.target), o.service_level.unit)
            for o in slas if o.service_level is not None]  # fmt: skip
    assert read == levels
    assert all(o.service_level.comparison == "at_most" for o in slas if o.service_level)


@pytest.mark.parametrize(
    "clause",
    [
        pytest.param("If Vendor fails to cure such breach within thirty (30) days, Customer may "
                     "terminate this Agreement.", id="cure-period"),
        pytest.param("Licensor shall respond to any written request for consent within ten (10) "
                     "days.", id="consent-request"),
        pytest.param("The parties expect a 50% availability reduction during maintenance.",
                     id="percent-too-low-for-a-target"),
    ],
)  # fmt: skip
def test_periods_that_are_not_service_levels(clause: str) -> None:
    assert not [o for o in _obligations(clause) if o.kind is ObligationKind.SERVICE_LEVEL]


@pytest.mark.parametrize(
    ("clauses", "metric", "target", "credit_percent", "credit_amount"),
    [
        pytest.param("The Service will be available 99.9% of the time in each calendar month. If "
                     "it is not, Customer will receive a service credit of 5% of the monthly fee.",
                     "availability", "99.9", "5", None, id="credit-in-next-sentence"),
        pytest.param("Vendor guarantees 99.95% monthly uptime, failing which Customer is entitled "
                     "to a credit equal to five percent (5%) of the monthly fees.",
                     "uptime", "99.95", "5", None, id="target-before-metric"),
        pytest.param("Vendor shall maintain Availability of at least 99.5%. Customer shall "
                     "receive a credit of $500 for each month the target is missed.",
                     "availability", "99.5", None, "500", id="credit-in-money"),
    ],
)  # fmt: skip
def test_availability_targets_with_service_credits(
    clauses: str, metric: str, target: str, credit_percent: str | None, credit_amount: str | None
) -> None:
    [sla] = [o for o in _obligations(clauses) if o.kind is ObligationKind.SERVICE_LEVEL]
    assert sla.service_level is not None
    assert (sla.service_level.metric, sla.service_level.target) == (metric, Decimal(target))
    assert sla.remedy is not None
    assert sla.remedy.credit_percent == (Decimal(credit_percent) if credit_percent else None)
    assert (sla.remedy.amount.amount if sla.remedy.amount else None) == (
        Decimal(credit_amount) if credit_amount else None
    )


# Payment schedules ----------------------------------------------------------------------


def test_payment_due_after_each_quarter_without_an_amount() -> None:
    clause = (
        "Licensee shall pay royalties within thirty (30) days after the end of each calendar "
        "quarter."
    )
    [payment] = [o for o in _obligations(clause) if o.kind is ObligationKind.PAYMENT]
    assert payment.amount is None
    assert payment.due_date is None
    assert payment.recurrence is None  # the model's recurrence needs a start date
    assert "end of each calendar quarter" in payment.description


def test_payment_cycle_with_a_start_date_is_a_recurrence() -> None:
    clause = (
        "The annual fee of $120,000 shall be payable quarterly in advance, commencing on "
        "January 1, 2025."
    )
    [payment] = [o for o in _obligations(clause) if o.kind is ObligationKind.PAYMENT]
    assert payment.amount == Money(amount=Decimal(120000), currency="USD")
    assert payment.recurrence is not None
    assert payment.recurrence.every == Duration(months=3)
    assert payment.recurrence.starts.isoformat() == "2025-01-01"


def test_installments_and_event_relative_payments() -> None:
    clauses = (
        "The Implementation Fee is due within 30 days of the Effective Date. "
        "The Annual Fee shall be paid in four (4) equal installments of $25,000 each."
    )
    payments = [o for o in _obligations(clauses) if o.kind is ObligationKind.PAYMENT]
    assert [p.amount for p in payments] == [None, Money(amount=Decimal(25000), currency="USD")]
    assert [p.key for p in payments] == ["payment-1", "payment-2"]


@pytest.mark.parametrize(
    "clause",
    [
        pytest.param("Licensee shall deliver a royalty report within thirty (30) days after the "
                     "end of each calendar quarter.", id="report-not-payment"),
        pytest.param("If the Franchisee fails to pay any amount when due and does not cure such "
                     "failure within ten (10) days of delivery of notice, BKC may terminate.",
                     id="default-and-cure"),
        pytest.param("Customer shall pay each invoice within 30 days of receipt of the invoice.",
                     id="invoice-terms-are-payment-terms"),
    ],
)  # fmt: skip
def test_sentences_that_are_not_payment_schedules(clause: str) -> None:
    assert not [o for o in _obligations(clause) if o.kind is ObligationKind.PAYMENT]


# Key-value table rows ---------------------------------------------------------------------


def _order_form(tmp_path: Path, rows: list[tuple[str, str]]) -> ContractText:
    document = docx.Document()
    document.add_paragraph("ORDER FORM")
    table = document.add_table(rows=0, cols=2)
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value
    document.add_paragraph("This Order Form is governed by the Master Services Agreement.")
    path = tmp_path / "order.docx"
    document.save(str(path))
    return ContractText(read_document(path))


def test_docx_key_value_rows_give_their_fields(tmp_path: Path) -> None:
    text = _order_form(
        tmp_path,
        [
            ("Key Terms", "Details"),
            ("Term", "36 months"),
            ("Contract Value", "USD 2,400,000"),
            ("PAYMENT TERMS:", "Net 45"),
            ("Billing Frequency", "Quarterly in advance"),
            ("Annual Price Increase", "CPI-U, capped at 4%"),
        ],
    )
    found = {c.field: c for c in table_rows(text)}
    assert found["initial_term"].value == Duration(months=36)
    assert found["total_value"].value == Money(amount=Decimal(2400000), currency="USD")
    assert found["payment_terms_days"].value == 45
    assert found["billing_frequency"].value is BillingFrequency.QUARTERLY
    assert found["price_escalator"].value.index == "CPI-U"
    assert found["price_escalator"].value.cap_percent == Decimal(4)
    assert {c.rule for c in found.values()} == {"table_row"}
    row = found["total_value"]
    assert text.text[row.start : row.end] == "Contract Value\tUSD 2,400,000"


def test_docx_rows_with_unknown_labels_or_unreadable_values_give_nothing(tmp_path: Path) -> None:
    text = _order_form(
        tmp_path,
        [
            ("Term", "See Section 5 of the Agreement"),
            ("Account Manager", "Jane Roe"),
            ("Governing Law", "the courts of New York"),
            ("Payment Terms", "Due upon receipt"),
            ("Service Level", "99.9%"),
        ],
    )
    assert table_rows(text) == []


def test_pipe_rows_and_labelled_lines() -> None:
    text = ContractText(
        read_document(
            b"ORDER FORM\n\n| Renewal Term | 12 months |\n|---|---|\n"
            b"| Contract Value | USD 200,000 per year |\n"
            b"Billing Frequency: Annually in advance\nPayment Terms: Net 30 days\n",
            name="order.txt",
        )
    )
    rows = {c.field: c.value for c in table_rows(text)}
    lines = {c.field: c.value for c in labelled_lines(text)}
    assert rows == {
        "renewal_term": Duration(months=12),
        "annual_value": Money(amount=Decimal(200000), currency="USD"),
    }
    assert lines == {"billing_frequency": BillingFrequency.ANNUAL, "payment_terms_days": 30}


def test_the_extractor_reads_an_order_form_table(tmp_path: Path) -> None:
    text = _order_form(
        tmp_path,
        [("Term", "36 months"), ("Contract Value", "USD 2,400,000"), ("Payment Terms", "Net 45")],
    )
    found = {c.field: c for c in RulesExtractor(calibration=Calibration()).extract(text.document)}
    assert found["initial_term"].value == Duration(months=36)
    assert found["total_value"].value == Money(amount=Decimal(2400000), currency="USD")
    assert found["payment_terms_days"].rule == "table_row"


def test_a_sentence_found_at_its_first_character_is_that_sentence() -> None:
    text = ContractText(
        read_document(b"Fees are due monthly. Credits are 5% of the fee.", name="a.txt")
    )
    start = text.text.index("Credits")
    assert text.sentence_at(start).text == "Credits are 5% of the fee."


# Reporting obligations --------------------------------------------------------------------


def _reports(clauses: str) -> list[Obligation]:
    return [o for o in _obligations(clauses) if o.kind is ObligationKind.REPORTING]


@pytest.mark.parametrize(
    ("clause", "description"),
    [
        pytest.param("Licensee shall deliver to Licensor a written royalty report within thirty "
                     "(30) days after the end of each calendar quarter.",
                     "Licensee: royalty report, quarterly, within thirty (30) days after the end "
                     "of each calendar quarter", id="royalty-report-after-each-quarter"),
        pytest.param("Distributor shall provide monthly sales reports by the 10th day of each "
                     "month.", "Distributor: sales reports, monthly, by the 10th day of each month",
                     id="sales-reports-by-a-day-of-each-month"),
        pytest.param("Supplier shall submit a quarterly business review report.",
                     "Supplier: business review report, quarterly", id="period-without-offset"),
        pytest.param("Customer shall provide an annual audited financial statement within 120 "
                     "days after the end of each fiscal year.",
                     "Customer: audited financial statement, annually, within 120 days after the "
                     "end of each fiscal year", id="annual-financial-statement"),
        pytest.param("Licensee shall, within thirty (30) days after the end of each calendar "
                     "quarter, deliver to Licensor a royalty report.",
                     "Licensee: royalty report, quarterly, within thirty (30) days after the end "
                     "of each calendar quarter", id="offset-between-shall-and-verb"),
        pytest.param("Reseller, within fifteen (15) days of the end of each quarter, shall provide "
                     "Vendor with a written report of units sold.",
                     "Reseller: report of units sold, quarterly, within fifteen (15) days of the "
                     "end of each quarter", id="offset-between-subject-and-shall"),
        pytest.param("Monthly sales reports shall be delivered by Distributor to Supplier by the "
                     "10th day of each month.",
                     "Distributor: sales reports, monthly, by the 10th day of each month",
                     id="passive"),
        pytest.param("Licensee shall report Net Sales to Licensor quarterly.",
                     "Licensee: report, quarterly", id="report-as-a-verb"),
        pytest.param("The Franchisee agrees to keep complete records and shall furnish Franchisor "
                     "with monthly profit and loss statements.",
                     "Franchisee: profit and loss statements, monthly", id="second-verb"),
        pytest.param("On the 25th day of each month, we will provide you with a detailed report "
                     "of Commissions.", "We: report of Commissions, monthly, On the 25th day of "
                     "each month", id="pronoun-subject-and-day-of-month"),
        pytest.param("Vendor shall provide Customer with quarterly usage reports and monthly "
                     "invoices.", "Vendor: usage reports, quarterly", id="usage-reports"),
        pytest.param("Licensee shall submit annual adverse event reports to the FDA.",
                     "Licensee: adverse event reports, annually", id="periodic-adverse-events"),
        pytest.param("iVillage shall provide FMM with relevant reports on a biweekly basis.",
                     "iVillage: reports, bi-weekly", id="biweekly-basis"),
        pytest.param("Each Party shall provide to the other Party a written report within fifteen "
                     "(15) Business Days after the end of each month.",
                     "Each Party: report, monthly, within fifteen (15) Business Days after the end "
                     "of each month", id="each-party"),
    ],
)  # fmt: skip
def test_reporting_obligations_as_drafted(clause: str, description: str) -> None:
    [report] = _reports(clause)
    assert report.description == description


def test_a_reporting_obligation_carries_its_reporter_role_and_schedule() -> None:
    [royalties] = _reports(
        "Licensee shall deliver to Licensor a written royalty report within thirty (30) days "
        "after the end of each calendar quarter."
    )
    assert royalties.key == "report-1"
    assert royalties.obligor == "counterparty"
    assert royalties.owner_role == "finance"
    assert royalties.due_date is None
    assert royalties.recurrence is None  # the model's recurrence needs a start date
    [review] = _reports("Supplier shall submit a quarterly business review report.")
    assert review.owner_role == "operations"
    [both] = _reports("Each Party shall provide the other Party with quarterly reports.")
    assert both.obligor == "both"
    [candidate] = [c for c in _found("Supplier shall submit a quarterly business review report.")
                   if c.field == "obligations"]  # fmt: skip
    assert candidate.rule == "reporting"
    assert candidate.snippet == "Supplier shall submit a quarterly business review report."


def test_a_reporting_cadence_with_a_start_date_is_a_recurrence() -> None:
    [report] = _reports(
        "Vendor shall provide Customer with monthly usage reports, commencing on January 1, 2025."
    )
    assert report.recurrence is not None
    assert report.recurrence.every == Duration(months=1)
    assert report.recurrence.starts.isoformat() == "2025-01-01"
    assert report.due_date is None


def test_a_dated_report_is_one_obligation() -> None:
    [obligation] = _obligations("Licensee shall deliver the annual report by March 31, 2025.")
    assert obligation.kind is ObligationKind.REPORTING
    assert obligation.due_date is not None
    assert obligation.due_date.isoformat() == "2025-03-31"
    # Without a cadence a dated report is a deliverable, as before.
    [once] = _obligations("Licensee shall deliver the final report by March 31, 2025.")
    assert once.kind is ObligationKind.DELIVERABLE


def test_reports_beside_payments_keep_unique_keys() -> None:
    clauses = (
        "Licensee shall pay royalties within thirty (30) days after the end of each calendar "
        "quarter. Licensee shall deliver a royalty report within thirty (30) days after the end "
        "of each calendar quarter. Distributor shall provide monthly sales reports by the 10th "
        "day of each month."
    )
    found = _obligations(clauses)
    assert [(o.kind, o.key) for o in found] == [
        (ObligationKind.PAYMENT, "payment-1"),
        (ObligationKind.REPORTING, "report-1"),
        (ObligationKind.REPORTING, "report-2"),
    ]


@pytest.mark.parametrize(
    "clause",
    [
        pytest.param("Licensor may audit Licensee's quarterly royalty reports once each calendar "
                     "year upon thirty (30) days' notice.", id="audit-right"),
        pytest.param("Licensor shall have the right to audit the books of Licensee once each "
                     "calendar year, and Licensee shall provide copies of its quarterly reports.",
                     id="audit-right-with-copies"),
        pytest.param("Notices shall be deemed received three (3) days after mailing, and all "
                     "reports shall be sent to the addresses above.", id="notices-deemed-received"),
        pytest.param('"Report" means the quarterly report that Licensee shall deliver to Licensor '
                     "under Section 5.", id="definition-of-report"),
        pytest.param("Licensee's obligation to deliver quarterly royalty reports shall survive "
                     "termination of this Agreement.", id="survival"),
        pytest.param("Licensee shall notify Licensor in writing of any breach of this Agreement "
                     "within ten (10) days.", id="notice-of-breach"),
        pytest.param("Supplier shall report any serious adverse event to the FDA within fifteen "
                     "(15) days of learning of it, and shall provide Customer with a copy of each "
                     "such report.", id="adverse-event-report"),
        pytest.param("Licensee shall report to Licensor any adverse event within 24 hours and "
                     "shall hold quarterly safety reviews.", id="adverse-event-beside-a-period"),
        pytest.param("Upon Licensor's written request, Licensee shall provide copies of its "
                     "monthly reports.", id="on-request"),
        pytest.param("Vendor shall deliver a Statement of Work each quarter.",
                     id="statement-of-work"),
        pytest.param("Vendor shall not provide monthly reports to any third party.",
                     id="shall-not"),
        pytest.param("Franchisee will submit for approval all securities documents (including "
                     "periodic reports, such as quarterly reports) it files.",
                     id="reports-named-as-examples"),
        pytest.param("Licensee shall provide Licensor with a report of any infringement it "
                     "becomes aware of.", id="no-cadence"),
    ],
)  # fmt: skip
def test_sentences_that_are_not_reporting_obligations(clause: str) -> None:
    assert _reports(clause) == []


def test_a_royalty_report_is_not_a_payment_but_a_report() -> None:
    clause = (
        "Licensee shall deliver a royalty report within thirty (30) days after the end of each "
        "calendar quarter."
    )
    assert [o.kind for o in _obligations(clause)] == [ObligationKind.REPORTING]


def test_an_order_form_table_dates_the_term_and_names_the_law(tmp_path: Path) -> None:
    text = _order_form(
        tmp_path,
        [
            ("Effective Date", "January 1, 2024"),
            ("Term", "36 months"),
            ("Governing Law", "New York"),
            ("Jurisdiction", "Courts of London"),
        ],
    )
    found = {c.field: c for c in RulesExtractor(calibration=Calibration()).extract(text.document)}
    assert found["effective_date"].value == date(2024, 1, 1)
    assert found["initial_term"].value == Duration(months=36)
    # The table states no end: it is the term's last day, counted from the effective date.
    assert found["expiration_date"].value == date(2026, 12, 31)
    assert found["expiration_date"].rule == "table_row.term_end"
    assert found["governing_law"].value.subdivision == "US-NY"


def test_a_stated_end_date_row_beats_a_computed_one(tmp_path: Path) -> None:
    text = _order_form(
        tmp_path,
        [("Start Date", "2024-01-01"), ("Term", "36 months"), ("End Date", "2026-06-30")],
    )
    found = {c.field: c for c in RulesExtractor(calibration=Calibration()).extract(text.document)}
    assert found["expiration_date"].value == date(2026, 6, 30)
    assert found["expiration_date"].rule == "table_row"
