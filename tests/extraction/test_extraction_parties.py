"""The parties rule on short written contracts, one layout each."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractsync.documents import read_document
from contractsync.extraction._candidate import Candidate
from contractsync.extraction._rules_parties import parties
from contractsync.extraction._text import ContractText

_WHEREAS = "\n\nWHEREAS, the parties wish to work together.\n\n1. Services. The work is done."


def _parties(tmp_path: Path, text: str) -> Candidate | None:
    path = tmp_path / "contract.txt"
    path.write_text(text, encoding="utf-8")
    found = parties(ContractText(read_document(path)))
    return found[0] if found else None


def _names(candidate: Candidate | None) -> list[str]:
    assert candidate is not None
    return [party.name for party in candidate.value]


def test_two_companies_with_descriptions_and_roles(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        "SUPPLY AGREEMENT\n\nThis Supply Agreement is made as of May 1, 2020 by and between "
        'Harbor Widgets, Inc., a Delaware corporation ("Supplier"), and Quill Foods LLC, '
        'a Texas limited liability company ("Buyer").' + _WHEREAS,
    )
    assert _names(candidate) == ["Harbor Widgets, Inc.", "Quill Foods LLC"]
    assert candidate is not None
    assert [party.role.value for party in candidate.value] == ["supplier", "customer"]
    assert candidate.rule == "defined_terms.two_entities"


def test_a_name_opening_with_a_pronoun_is_still_a_name(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        "This License Agreement is entered into between Northpeak Media Limited, a company "
        'with an address at 1 Long Road, Leeds ("Licensor"), and WE CARE HOLDINGS, INC., a '
        "Nevada corporation with an address at 20 Main Street, Suite 5, Reno, Nevada 89501 "
        '("Licensee").' + _WHEREAS,
    )
    assert _names(candidate) == ["Northpeak Media Limited", "WE CARE HOLDINGS, INC."]


def test_between_and_blocks_with_numbered_parties(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        "HOSTING AGREEMENT\n\nThis AGREEMENT is made the 3rd day of June 2019\n\nBETWEEN\n\n"
        '1. Orbit Data Corp., a Delaware corporation ("Orbit"), having an address at '
        "5 Elm Street, Boston\n\nAND\n\n"
        '2. Kestrel Press Limited a company registered in England ("Kestrel"), whose '
        "registered office is at 9 Mill Lane, Oxford." + _WHEREAS,
    )
    assert _names(candidate) == ["Orbit Data Corp.", "Kestrel Press Limited"]


def test_three_parties_with_a_collective_term_inside_the_last_parenthetical(
    tmp_path: Path,
) -> None:
    candidate = _parties(
        tmp_path,
        'This Alliance Agreement is made as of July 1, 2015 (this "Agreement"), by and among '
        'Alder Labs, Ltd., a Japanese corporation (the "Company"), Birch Pharma, LLC, a '
        'Delaware company ("Acquiror"), and Cedar Holdings, Inc., a Delaware corporation '
        '("Cedar," and, together with the Company and Acquiror, collectively, the '
        '"Parties").' + _WHEREAS,
    )
    assert _names(candidate) == ["Alder Labs, Ltd.", "Birch Pharma, LLC", "Cedar Holdings, Inc."]


def test_an_and_inside_an_open_parenthetical_joins_terms_not_parties(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        'This agreement ("Agreement") is entered into by and among FIRST LIFE COMPANY ("FLC"), '
        'SECOND LIFE COMPANY, ("SLC" and, together with FLC, "Life"), THIRD PLANNING '
        'CORPORATION ("TPC" and, together with FLC and SLC, the "Life Parties"), and '
        'FOURTH CAPITAL CORPORATION ("FCC").' + _WHEREAS,
    )
    assert _names(candidate) == [
        "FIRST LIFE COMPANY",
        "SECOND LIFE COMPANY",
        "THIRD PLANNING CORPORATION",
        "FOURTH CAPITAL CORPORATION",
    ]


@pytest.mark.parametrize(
    "blank",
    [
        'and _________________ (hereinafter referred to as the "Professional")',
        "And [*] ('Distributor')",
    ],
    ids=["underscores", "redacted"],
)
def test_a_form_names_its_one_known_party(tmp_path: Path, blank: str) -> None:
    candidate = _parties(
        tmp_path,
        "ENDORSEMENT AGREEMENT\n\nThis Agreement is made this ___ day of ______, 20__, by and "
        'between PINE RIDGE, INC., a Colorado corporation (the "Company"), '
        + blank
        + "."
        + _WHEREAS,
    )
    assert _names(candidate) == ["PINE RIDGE, INC."]
    assert candidate is not None
    assert candidate.rule == "defined_terms.blank"


def test_an_opening_without_between(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        "Exhibit 10.7\n\nCONSULTING AGREEMENT\n\nMaple Biotech, Inc., with a place of business "
        'at 40 Oak Avenue, Berkeley, CA 94710 ("Maple") and RIVERA B.V having an address at '
        'Kade 16, Leiden, the Netherlands ("Consultant") agree to all terms of this '
        'Consulting Agreement ("Agreement").\n\n1. Services. Consultant will advise Maple.',
    )
    assert _names(candidate) == ["Maple Biotech, Inc.", "RIVERA B.V."]
    assert candidate is not None
    assert candidate.rule == "opening_terms"
    assert [party.role.value for party in candidate.value] == ["other", "consultant"]


def test_an_opening_without_between_refuses_titles_as_names(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        'MASTER SERVICES AGREEMENT ("MSA")\n\nSCHEDULE OF FEES ("Fees")\n\n'
        "1. Fees. The fees are set out below.",
    )
    assert candidate is None


def test_joint_filing_parties_sign_as_the_undersigned(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        "Exhibit 99.1\n\nJOINT FILING AGREEMENT\n\nThe undersigned hereby agree to the joint "
        "filing of the Statement on Schedule 13D.\n\nIN WITNESS WHEREOF, the undersigned "
        "hereby execute this agreement as of May 11, 2020. "
        "SPRUCE EQUITY INVESTMENT S.À R.L. /s/ Jan Novak By: Jan Novak Title: Authorized "
        "Signatory LARCH PARTNERS II, L.P. By: Larch GP, LLC, its general partner "
        "By: /s/ Eva Roe Name: Eva Roe Title: Director\n\nJOHN Q. PUBLIC\n\n"
        "By: /s/ John Q. Public",
    )
    assert _names(candidate) == [
        "SPRUCE EQUITY INVESTMENT S.À R.L.",
        "LARCH PARTNERS II, L.P.",
        "JOHN Q. PUBLIC",
    ]
    assert candidate is not None
    assert candidate.rule == "signature_block.undersigned"


def test_signatories_and_their_titles_are_not_parties(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        "Letter of understanding on the delivery of goods.\n\n"
        "IN WITNESS WHEREOF, the parties have signed this letter.\n\n"
        "Willow Trading LLC  By: /s/ Mary Major  Name: Mary Major  Title: President\n\n"
        "Aspen Retail Group  By: /s/ Tom Minor  Name: Tom Minor  Title: Chief Executive",
    )
    assert _names(candidate) == ["Willow Trading LLC", "Aspen Retail Group"]
    assert candidate is not None
    assert candidate.rule == "signature_block"


def test_prose_without_parties_gives_nothing(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        "Terms and conditions.\n\nThe goods are delivered within thirty days of the order. "
        "Payment is due on delivery.",
    )
    assert candidate is None


def test_a_placeholder_counterparty_is_a_blank_not_a_name(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        "DISTRIBUTOR AGREEMENT\n\nThis Agreement is made as of 1 August 2019, by and between, "
        "Lark Coffee Traders LLC, a Florida limited liability company, with an address at 7 "
        'Bay Road, Miami ("Company"), and XXXXXXXXXXXX ("Distributor").' + _WHEREAS,
    )
    assert _names(candidate) == ["Lark Coffee Traders LLC"]
    assert candidate is not None
    assert candidate.rule == "defined_terms.blank"


def test_a_counterparty_named_only_by_its_role_is_a_blank(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        "FRANCHISE AGREEMENT\n\nThis Franchise Agreement between Harbor Suites Franchise LLC "
        '("we," "us" or "Franchisor") and the Franchisee ("you" or "Franchisee") set forth '
        "in the Addendum, is dated as of the Effective Date." + _WHEREAS,
    )
    assert _names(candidate) == ["Harbor Suites Franchise LLC"]


def test_an_opening_without_between_under_a_title_on_the_same_line(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        "Exhibit 4\n\nIP RIGHTS AGREEMENT   Corvid Labs, a California corporation having a place "
        'of business at 3 Oak Court, San Diego (or one of its Affiliates, the "Investor"), and '
        'Tern Minerals Ltd., a British Columbia corporation (the "Company") (Investor and '
        'Company each a "Party"), agree as follows:   1. Background.',
    )
    assert _names(candidate) == ["Corvid Labs", "Tern Minerals Ltd."]
    assert candidate is not None
    assert candidate.rule == "opening_terms"


def test_captioned_parties_with_unquoted_terms(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        "Design Contract for the Hill Resort   The Covenanter: Jade Valley Country Club Inc. "
        "(hereinafter referred to as Party A) and the Covenanter: Wen Li Architects Office "
        "(hereinafter referred to as Party B) hereby agree to the following terms:   "
        "Article I. Project",
    )
    assert _names(candidate) == ["Jade Valley Country Club Inc.", "Wen Li Architects Office"]


def test_a_parenthetical_naming_affiliates_does_not_end_the_list(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        'This Supply Agreement ("Agreement") is between Osprey Chemical Company ("Seller"), on '
        'behalf of itself and its affiliates listed on Attachment B (each a "Selling '
        'Affiliate" or collectively, "Selling Affiliates"), and Wren Medical Services, Inc. '
        '("Buyer").' + _WHEREAS,
    )
    assert _names(candidate) == ["Osprey Chemical Company", "Wren Medical Services, Inc."]


def test_a_bracketed_place_in_an_address_is_not_a_defined_term(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        "This Collaboration Agreement is made as of April 14, 2020 by and between Finch "
        'Biosciences, Inc., a Delaware corporation ("Finch"), and Stork GmbH, a German '
        'company, located at Hauptstr. 24, 06120 Halle (Saale), Germany ("Stork"). Finch and '
        'Stork are each a "Party".' + _WHEREAS,
    )
    assert _names(candidate) == ["Finch Biosciences, Inc.", "Stork GmbH"]


def test_an_administrator_acting_for_another_names_no_party_of_it(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        "Reference is made to the License Agreement dated as of May 1, 2004, between Heron "
        'Mobile, Inc. ("Heron"), as Administrator for Gull Film Corporation ("Trademark '
        'Licensor") and Plover Games, Inc. ("Licensee").' + _WHEREAS,
    )
    assert _names(candidate) == ["Heron Mobile, Inc.", "Plover Games, Inc."]


def test_a_party_joined_by_together_with(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        'This Agreement is made by and among Egret Growth REIT, Inc. (the "Company"), together '
        'with Egret Holdings, L.P., its operating partnership (the "Partnership"), and Ibis '
        'Manager, LLC (the "Manager").' + _WHEREAS,
    )
    assert _names(candidate) == [
        "Egret Growth REIT, Inc.",
        "Egret Holdings, L.P.",
        "Ibis Manager, LLC",
    ]


def test_a_last_party_without_a_term_after_further_parentheticals(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        "This Remarketing Agreement is dated as of August 26, 2014, among Pelican, Inc. (the "
        '"Company"), and Crane Securities Inc. ("Crane") (the "Agent," which expression '
        "includes any successor), and Crane Trust Company Americas, not individually but "
        "solely as contract agent." + _WHEREAS,
    )
    assert _names(candidate) == [
        "Pelican, Inc.",
        "Crane Securities Inc.",
        "Crane Trust Company Americas",
    ]
    assert candidate is not None
    assert candidate.rule == "defined_terms"


def test_english_blocks_of_the_one_part_and_the_other_part(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        "SUPPLY AGREEMENT THIS AGREEMENT is made on the 15th day of January 2018. BETWEEN: "
        "LOTUS PREPARATIONS INC. 2nd Floor, Harbour House, Port Vila. Vanuatu ('the "
        "Manufacturer') of one part AND: MAGNOLIA HOLDING LIMITED Unit 05, Energy Plaza, "
        "Kowloon, Hong Kong ('the Customer') of the other part. RECITALS a. The Manufacturer "
        "makes goods.",
    )
    assert _names(candidate) == ["LOTUS PREPARATIONS INC.", "MAGNOLIA HOLDING LIMITED"]
    assert candidate is not None
    assert [party.role.value for party in candidate.value] == ["supplier", "customer"]


def test_signatories_with_terms_are_not_an_opening(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        "Notice of delivery.\n\nThe goods are delivered within thirty days.\n\n"
        "IN WITNESS WHEREOF, this notice is given.\n\n"
        'Larch Fund L.P. ("Fund") and Birch Advisers LLC ("Adviser")\n\nBy: /s/ Ann Lee',
    )
    assert candidate is None


def test_prose_naming_capacities_gives_no_parties(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        'Notice.\n\nThe goods (the "Goods") are shipped as agent for Teal Shipping Corporation '
        '("Carrier") by the Seller ("Seller") within thirty days.',
    )
    assert candidate is None


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        pytest.param(
            "by and between Alder Systems, Inc. a California corporation having its office at "
            '1 Main St., Fresno, CA 93701 ("Alder"), and, Rowan Air, Inc., a Delaware '
            'corporation having its office at 9 Lake Road, Elk Grove, IL 60007 ("Sponsor").',
            ["Alder Systems, Inc.", "Rowan Air, Inc."],
            id="and-with-a-comma",
        ),
        pytest.param(
            "is entered into between the following two parties on May 1, 2020 in Beijing:     "
            'Kestrel Media Company Limited ("Party A"), a company of Hong Kong     and     '
            'Beijing Finch Network Co., Ltd. ("Party B"), a limited liability company.',
            ["Kestrel Media Company Limited", "Beijing Finch Network Co., Ltd."],
            id="the-following-parties-colon",
        ),
        pytest.param(
            "between OSPREY PHARMA A/S of Parkvej 5, Ballerup, Denmark (hereinafter referred to "
            'as "OSPREY") and HERON (CHEMICALS) LIMITED of 4 Quay Street, Dublin, Ireland '
            '(hereinafter referred to as "HERON").',
            ["OSPREY PHARMA A/S", "HERON (CHEMICALS) LIMITED"],
            id="of-an-address-and-a-bracketed-word",
        ),
        pytest.param(
            "BETWEEN: (1) PLOVER 2005 LIMITED (registered number 01003653) whose registered "
            "office is at 19 Upper Ground, London (the Company) (2) JANE ROE (the Executive).",
            ["PLOVER 2005 LIMITED", "JANE ROE"],
            id="a-number-inside-a-name",
        ),
        pytest.param(
            "by and between Jane Roe, director of Wrencraft (hereinafter referred to as "
            '"Client") and John Doe, director of Linnet Web Works, PLC (hereinafter referred '
            'to as "Company").',
            ["Wrencraft", "Linnet Web Works, PLC"],
            id="officers-named-for-their-companies",
        ),
        pytest.param(
            'is entered into by Grebe Chemical Corporation ("Buyer"), a Pennsylvania '
            "corporation, Teal Lubricants Ltd., a company incorporated in the Cayman Islands "
            '("Teal"), and Coot Oil Limited, a public limited company ("Coot").',
            ["Grebe Chemical Corporation", "Teal Lubricants Ltd.", "Coot Oil Limited"],
            id="entered-into-by-with-descriptions-after-terms",
        ),
        pytest.param(
            'by and between Swift Holdings, Inc., a Delaware corporation (the "Company"), and '
            "Lark Partners LP, a Delaware limited partnership, Lark GP LLC, a Delaware limited "
            'liability company (collectively, the "Lark Parties").',
            ["Swift Holdings, Inc.", "Lark Partners LP", "Lark GP LLC"],
            id="members-of-a-collective-term",
        ),
        pytest.param(
            "is by and among the persons listed on Schedule A (collectively, the "
            '"Group"), Magpie Transmission Holdings, Inc. (the "Company") and Ann Lee, in her '
            'individual capacity (the "Designee").',
            ["Magpie Transmission Holdings, Inc.", "Ann Lee"],
            id="the-list-goes-on-after-a-collective-term",
        ),
    ],
)
def test_opening_layouts(tmp_path: Path, opening: str, expected: list[str]) -> None:
    candidate = _parties(tmp_path, "AGREEMENT\n\nThis Agreement " + opening + _WHEREAS)
    assert _names(candidate) == expected


def test_a_title_list_ends_at_the_layout_gap(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        "Amendment n° 1 to the Maintenance Agreement\n\nBETWEEN\n\nTOUCAN LINHAS S/A\n\nAND\n\n"
        "AVIONS DE PETREL, G.I.E.   TOUCAN-PETREL Amendment N° 1   Page 1/9\n\n" + _WHEREAS,
    )
    assert _names(candidate) == ["TOUCAN LINHAS S/A", "AVIONS DE PETREL G.I.E."]
    assert candidate is not None
    assert candidate.rule == "title_list"


def test_a_date_before_a_signing_entity_is_not_its_name(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        "JOINT FILING AGREEMENT The undersigned agree to file jointly.\n\n"
        "DATED: April 8, 2020 LOON CAPITAL LP\n\nBy: /s/ Ann Lee Ann Lee Officer "
        "LOON MASTER FUND LTD.\n\nBy: /s/ Ann Lee Ann Lee Officer\n",
    )
    assert _names(candidate) == ["LOON CAPITAL LP", "LOON MASTER FUND LTD."]


def test_the_end_of_an_address_is_not_a_party(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        "AGREEMENT\n\nThis Agreement is made between: Dunnock Capital Inc., having its office at "
        '1 Commercial Blvd, Fort Lauderdale, Florida, hereinafter referred to as "DCI";\n\n'
        "And:\n\nA new venture to be formed by its founders, having an office at 1 Frank Road, "
        'Okeechobee, FL 34974, hereinafter referred to as "NEWCO".' + _WHEREAS,
    )
    assert candidate is None
