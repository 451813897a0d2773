"""The parties rule on short written contracts, one layout each."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractsync.documents import read_document
from contractsync.extraction._candidate import Candidate
from contractsync.extraction._parties_names import party_name
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


# Names only: the parties of a preamble, caption or signature page come out in order, and
# the clutter around them (addresses, descriptions, collective terms, capacities) does not.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "This License Agreement is entered into between Northpeak Media Limited, a company "
            'with an address at 1 Long Road, Leeds ("Licensor"), and WE CARE HOLDINGS, INC., a '
            "Nevada corporation with an address at 20 Main Street, Suite 5, Reno, Nevada 89501 "
            '("Licensee").' + _WHEREAS,
            ["Northpeak Media Limited", "WE CARE HOLDINGS, INC."],
            id="a-name-opening-with-a-pronoun-is-still-a-name",
        ),
        pytest.param(
            "HOSTING AGREEMENT\n\nThis AGREEMENT is made the 3rd day of June 2019\n\nBETWEEN\n\n"
            '1. Orbit Data Corp., a Delaware corporation ("Orbit"), having an address at '
            "5 Elm Street, Boston\n\nAND\n\n"
            '2. Kestrel Press Limited a company registered in England ("Kestrel"), whose '
            "registered office is at 9 Mill Lane, Oxford." + _WHEREAS,
            ["Orbit Data Corp.", "Kestrel Press Limited"],
            id="between-and-blocks-with-numbered-parties",
        ),
        pytest.param(
            'This Alliance Agreement is made as of July 1, 2015 (this "Agreement"), by and among '
            'Alder Labs, Ltd., a Japanese corporation (the "Company"), Birch Pharma, LLC, a '
            'Delaware company ("Acquiror"), and Cedar Holdings, Inc., a Delaware corporation '
            '("Cedar," and, together with the Company and Acquiror, collectively, the '
            '"Parties").' + _WHEREAS,
            ["Alder Labs, Ltd.", "Birch Pharma, LLC", "Cedar Holdings, Inc."],
            id="three-parties-with-a-collective-term-inside-the-last-parenthetical",
        ),
        pytest.param(
            'This agreement ("Agreement") is entered into by and among FIRST LIFE COMPANY ("FLC"), '
            'SECOND LIFE COMPANY, ("SLC" and, together with FLC, "Life"), THIRD PLANNING '
            'CORPORATION ("TPC" and, together with FLC and SLC, the "Life Parties"), and '
            'FOURTH CAPITAL CORPORATION ("FCC").' + _WHEREAS,
            [
                "FIRST LIFE COMPANY",
                "SECOND LIFE COMPANY",
                "THIRD PLANNING CORPORATION",
                "FOURTH CAPITAL CORPORATION",
            ],
            id="an-and-inside-an-open-parenthetical-joins-terms-not-parties",
        ),
        pytest.param(
            "FRANCHISE AGREEMENT\n\nThis Franchise Agreement between Harbor Suites Franchise LLC "
            '("we," "us" or "Franchisor") and the Franchisee ("you" or "Franchisee") set forth '
            "in the Addendum, is dated as of the Effective Date." + _WHEREAS,
            ["Harbor Suites Franchise LLC"],
            id="a-counterparty-named-only-by-its-role-is-a-blank",
        ),
        pytest.param(
            "Design Contract for the Hill Resort   The Covenanter: Jade Valley Country Club Inc. "
            "(hereinafter referred to as Party A) and the Covenanter: Wen Li Architects Office "
            "(hereinafter referred to as Party B) hereby agree to the following terms:   "
            "Article I. Project",
            ["Jade Valley Country Club Inc.", "Wen Li Architects Office"],
            id="captioned-parties-with-unquoted-terms",
        ),
        pytest.param(
            'This Supply Agreement ("Agreement") is between Osprey Chemical Company ("Seller"), on '
            'behalf of itself and its affiliates listed on Attachment B (each a "Selling '
            'Affiliate" or collectively, "Selling Affiliates"), and Wren Medical Services, Inc. '
            '("Buyer").' + _WHEREAS,
            ["Osprey Chemical Company", "Wren Medical Services, Inc."],
            id="a-parenthetical-naming-affiliates-does-not-end-the-list",
        ),
        pytest.param(
            "This Collaboration Agreement is made as of April 14, 2020 by and between Finch "
            'Biosciences, Inc., a Delaware corporation ("Finch"), and Stork GmbH, a German '
            'company, located at Hauptstr. 24, 06120 Halle (Saale), Germany ("Stork"). Finch and '
            'Stork are each a "Party".' + _WHEREAS,
            ["Finch Biosciences, Inc.", "Stork GmbH"],
            id="a-bracketed-place-in-an-address-is-not-a-defined-term",
        ),
        pytest.param(
            "Reference is made to the License Agreement dated as of May 1, 2004, between Heron "
            'Mobile, Inc. ("Heron"), as Administrator for Gull Film Corporation ("Trademark '
            'Licensor") and Plover Games, Inc. ("Licensee").' + _WHEREAS,
            ["Heron Mobile, Inc.", "Plover Games, Inc."],
            id="an-administrator-acting-for-another-names-no-party-of-it",
        ),
        pytest.param(
            'This Agreement is made by and among Egret Growth REIT, Inc. (the "Company"), together '
            'with Egret Holdings, L.P., its operating partnership (the "Partnership"), and Ibis '
            'Manager, LLC (the "Manager").' + _WHEREAS,
            ["Egret Growth REIT, Inc.", "Egret Holdings, L.P.", "Ibis Manager, LLC"],
            id="a-party-joined-by-together-with",
        ),
        pytest.param(
            "JOINT FILING AGREEMENT The undersigned agree to file jointly.\n\n"
            "DATED: April 8, 2020 LOON CAPITAL LP\n\nBy: /s/ Ann Lee Ann Lee Officer "
            "LOON MASTER FUND LTD.\n\nBy: /s/ Ann Lee Ann Lee Officer\n",
            ["LOON CAPITAL LP", "LOON MASTER FUND LTD."],
            id="a-date-before-a-signing-entity-is-not-its-name",
        ),
    ],
)
def test_party_names(tmp_path: Path, text: str, expected: list[str]) -> None:
    assert _names(_parties(tmp_path, text)) == expected


# Names and the rule that found them: signature blocks, openings without "between",
# placeholder counterparties, title lists and the plain defined-terms preamble.
@pytest.mark.parametrize(
    ("text", "expected", "rule"),
    [
        pytest.param(
            "Exhibit 99.1\n\nJOINT FILING AGREEMENT\n\nThe undersigned hereby agree to the joint "
            "filing of the Statement on Schedule 13D.\n\nIN WITNESS WHEREOF, the undersigned "
            "hereby execute this agreement as of May 11, 2020. "
            "SPRUCE EQUITY INVESTMENT S.À R.L. /s/ Jan Novak By: Jan Novak Title: Authorized "
            "Signatory LARCH PARTNERS II, L.P. By: Larch GP, LLC, its general partner "
            "By: /s/ Eva Roe Name: Eva Roe Title: Director\n\nJOHN Q. PUBLIC\n\n"
            "By: /s/ John Q. Public",
            ["SPRUCE EQUITY INVESTMENT S.À R.L.", "LARCH PARTNERS II, L.P.", "JOHN Q. PUBLIC"],
            "signature_block.undersigned",
            id="joint-filing-parties-sign-as-the-undersigned",
        ),
        pytest.param(
            "Letter of understanding on the delivery of goods.\n\n"
            "IN WITNESS WHEREOF, the parties have signed this letter.\n\n"
            "Willow Trading LLC  By: /s/ Mary Major  Name: Mary Major  Title: President\n\n"
            "Aspen Retail Group  By: /s/ Tom Minor  Name: Tom Minor  Title: Chief Executive",
            ["Willow Trading LLC", "Aspen Retail Group"],
            "signature_block",
            id="signatories-and-their-titles-are-not-parties",
        ),
        pytest.param(
            "DISTRIBUTOR AGREEMENT\n\nThis Agreement is made as of 1 August 2019, by and between, "
            "Lark Coffee Traders LLC, a Florida limited liability company, with an address at 7 "
            'Bay Road, Miami ("Company"), and XXXXXXXXXXXX ("Distributor").' + _WHEREAS,
            ["Lark Coffee Traders LLC"],
            "defined_terms.blank",
            id="a-placeholder-counterparty-is-a-blank-not-a-name",
        ),
        pytest.param(
            "Exhibit 4\n\nIP RIGHTS AGREEMENT   Corvid Labs, a California corporation having a "
            'place of business at 3 Oak Court, San Diego (or one of its Affiliates, the "Investor"'
            '), and Tern Minerals Ltd., a British Columbia corporation (the "Company") (Investor '
            'and Company each a "Party"), agree as follows:   1. Background.',
            ["Corvid Labs", "Tern Minerals Ltd."],
            "opening_terms",
            id="an-opening-without-between-under-a-title-on-the-same-line",
        ),
        pytest.param(
            "This Remarketing Agreement is dated as of August 26, 2014, among Pelican, Inc. (the "
            '"Company"), and Crane Securities Inc. ("Crane") (the "Agent," which expression '
            "includes any successor), and Crane Trust Company Americas, not individually but "
            "solely as contract agent." + _WHEREAS,
            ["Pelican, Inc.", "Crane Securities Inc.", "Crane Trust Company Americas"],
            "defined_terms",
            id="a-last-party-without-a-term-after-further-parentheticals",
        ),
        pytest.param(
            "Amendment n° 1 to the Maintenance Agreement\n\nBETWEEN\n\nTOUCAN LINHAS S/A\n\nAND"
            "\n\nAVIONS DE PETREL, G.I.E.   TOUCAN-PETREL Amendment N° 1   Page 1/9\n\n" + _WHEREAS,
            ["TOUCAN LINHAS S/A", "AVIONS DE PETREL G.I.E."],
            "title_list",
            id="a-title-list-ends-at-the-layout-gap",
        ),
    ],
)
def test_party_names_and_rule(tmp_path: Path, text: str, expected: list[str], rule: str) -> None:
    _assert_parties(tmp_path, text, expected, rule)


def _assert_parties(tmp_path: Path, text: str, expected: list[str], rule: str) -> None:
    candidate = _parties(tmp_path, text)
    assert _names(candidate) == expected
    assert candidate is not None
    assert candidate.rule == rule


# Names and the roles read from their defined terms (and the rule, where a case pins it).
@pytest.mark.parametrize(
    ("text", "expected", "roles", "rule"),
    [
        pytest.param(
            "SUPPLY AGREEMENT\n\nThis Supply Agreement is made as of May 1, 2020 by and between "
            'Harbor Widgets, Inc., a Delaware corporation ("Supplier"), and Quill Foods LLC, '
            'a Texas limited liability company ("Buyer").' + _WHEREAS,
            ["Harbor Widgets, Inc.", "Quill Foods LLC"],
            ["supplier", "customer"],
            "defined_terms.two_entities",
            id="two-companies-with-descriptions-and-roles",
        ),
        pytest.param(
            "Exhibit 10.7\n\nCONSULTING AGREEMENT\n\nMaple Biotech, Inc., with a place of business "
            'at 40 Oak Avenue, Berkeley, CA 94710 ("Maple") and RIVERA B.V having an address at '
            'Kade 16, Leiden, the Netherlands ("Consultant") agree to all terms of this '
            'Consulting Agreement ("Agreement").\n\n1. Services. Consultant will advise Maple.',
            ["Maple Biotech, Inc.", "RIVERA B.V."],
            ["other", "consultant"],
            "opening_terms",
            id="an-opening-without-between",
        ),
        pytest.param(
            "SUPPLY AGREEMENT THIS AGREEMENT is made on the 15th day of January 2018. BETWEEN: "
            "LOTUS PREPARATIONS INC. 2nd Floor, Harbour House, Port Vila. Vanuatu ('the "
            "Manufacturer') of one part AND: MAGNOLIA HOLDING LIMITED Unit 05, Energy Plaza, "
            "Kowloon, Hong Kong ('the Customer') of the other part. RECITALS a. The Manufacturer "
            "makes goods.",
            ["LOTUS PREPARATIONS INC.", "MAGNOLIA HOLDING LIMITED"],
            ["supplier", "customer"],
            None,
            id="english-blocks-of-the-one-part-and-the-other-part",
        ),
    ],
)
def test_party_names_and_roles(
    tmp_path: Path, text: str, expected: list[str], roles: list[str], rule: str | None
) -> None:
    candidate = _parties(tmp_path, text)
    assert _names(candidate) == expected
    assert candidate is not None
    assert [party.role.value for party in candidate.value] == roles
    if rule is not None:
        assert candidate.rule == rule


# No parties at all: titles, prose, signatories with terms and the tail of an address are
# not names, so the rule gives no candidate rather than a wrong one.
@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            'MASTER SERVICES AGREEMENT ("MSA")\n\nSCHEDULE OF FEES ("Fees")\n\n'
            "1. Fees. The fees are set out below.",
            id="an-opening-without-between-refuses-titles-as-names",
        ),
        pytest.param(
            "Terms and conditions.\n\nThe goods are delivered within thirty days of the order. "
            "Payment is due on delivery.",
            id="prose-without-parties-gives-nothing",
        ),
        pytest.param(
            "Notice of delivery.\n\nThe goods are delivered within thirty days.\n\n"
            "IN WITNESS WHEREOF, this notice is given.\n\n"
            'Larch Fund L.P. ("Fund") and Birch Advisers LLC ("Adviser")\n\nBy: /s/ Ann Lee',
            id="signatories-with-terms-are-not-an-opening",
        ),
        pytest.param(
            'Notice.\n\nThe goods (the "Goods") are shipped as agent for Teal Shipping Corporation '
            '("Carrier") by the Seller ("Seller") within thirty days.',
            id="prose-naming-capacities-gives-no-parties",
        ),
        pytest.param(
            "AGREEMENT\n\nThis Agreement is made between: Dunnock Capital Inc., having its office "
            'at 1 Commercial Blvd, Fort Lauderdale, Florida, hereinafter referred to as "DCI";\n\n'
            "And:\n\nA new venture to be formed by its founders, having an office at 1 Frank Road, "
            'Okeechobee, FL 34974, hereinafter referred to as "NEWCO".' + _WHEREAS,
            id="the-end-of-an-address-is-not-a-party",
        ),
    ],
)
def test_no_parties(tmp_path: Path, text: str) -> None:
    assert _parties(tmp_path, text) is None


# The blank-counterparty form, with two kinds of blank.
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


# Opening layouts under one common title, each with its own joining words.
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


_LETTER_HEAD = (
    "Exhibit 1.1\n\nAGENCY AGREEMENT\n\nMay 1, 2014\n\nHarbor Point Securities, Inc.\n"
    "100 Main Street, Suite 400\nChicago, Illinois 60606\n\nLadies and Gentlemen:\n\n"
)


# Drafting shapes beyond the "by and between" preamble: letters, captioned blocks, deeds,
# labels, loan-out talent and forms whose counterparty is named elsewhere.
@pytest.mark.parametrize(
    ("text", "expected", "rule"),
    [
        pytest.param(
            _LETTER_HEAD + 'Granite Bancorp, Inc., a Maryland corporation (the "Company"), and '
            'Granite Savings Bank, a savings bank (the "Bank"), hereby confirm their agreement '
            'with Harbor Point Securities, Inc. (the "Agent") as follows:\n\nSection 1. Offering.',
            ["Granite Bancorp, Inc.", "Granite Savings Bank", "Harbor Point Securities, Inc."],
            "letter",
            id="a-letter-adds-its-addressee",
        ),
        pytest.param(
            "AGENCY AGREEMENT June 2, 2016 Maple Leaf Therapeutics Inc. 10 King Street West "
            "Toronto, Ontario M5H 1A1 Attention: Jane Roe, Chief Executive Officer Dear Ms. Roe: "
            'The undersigned, Northshore Capital Ltd. (the "Lead Agent"), Pinecrest Securities '
            'Inc., and Ridgeway & Co. Ltd. (collectively with the Lead Agent, the "Agents") '
            'understand that Maple Leaf Therapeutics Inc. (the "Corporation") proposes to issue '
            "common shares. The Agents agree to act as agents.",
            [
                "Northshore Capital Ltd.",
                "Pinecrest Securities Inc.",
                "Ridgeway & Co. Ltd.",
                "Maple Leaf Therapeutics Inc.",
            ],
            "letter",
            id="a-flattened-letter-from-the-undersigned",
        ),
        pytest.param(
            'JOINT VENTURE AGREEMENT\n\nTHIS AGREEMENT (the "Agreement") made this 3rd day of '
            "May 2018,\n\nBETWEEN: Palm Coast Ventures, Inc. a Florida Corporation of 10 Ocean "
            "Drive, Miami, FL 33101 And\n\nGREEN VALLEY FARMS, a Tennessee Company of 22 Ridge "
            'Road, Knoxville, TN 37901\n\n(individually and collectively the Participants "JVP").'
            "\n\nBACKGROUND:\n\nThe JVP wish to do business.",
            ["Palm Coast Ventures, Inc.", "GREEN VALLEY FARMS"],
            "between_blocks",
            id="blocks-under-a-between-caption",
        ),
        pytest.param(
            "SUPPLY AGREEMENT\n\nBetween: Tidewater Kitchens Inc. having its office at 12 Bay "
            'Road, Tampa, FL. Hereinafter referred to as "TKI"; And: Summit Industrial Co. Ltd. '
            'having its office at 4 Hill Street, Denver. Hereinafter referred to as "SIC".'
            + _WHEREAS,
            ["Tidewater Kitchens Inc.", "Summit Industrial Co. Ltd."],
            "between_blocks",
            id="blocks-joined-by-and-colon",
        ),
        pytest.param(
            "This Agreement is made and effective from 5 March 2019 BETWEEN: Orchid Apps Ltd. "
            '(hereinafter called as the "OAL"), located at 6th Floor, 12 Queen Road, Hong Kong. '
            'AND: Mr. Li Wei and Ms. Wang Fang (hereinafter called as the "Developer"), a group '
            "of software developers." + _WHEREAS,
            ["Orchid Apps Ltd.", "Mr. Li Wei and Ms. Wang Fang"],
            "defined_terms",
            id="an-and-caption-after-an-address-is-no-sentence-end",
        ),
        pytest.param(
            "POWER OF ATTORNEY\n\nKNOW ALL MEN BY THESE PRESENTS, that Harbor Income Trust, a "
            'Delaware statutory trust (the "Trust"), does hereby make, constitute and appoint '
            'Lantern Fund Services, LLC, a Delaware limited liability company ("Lantern"), as '
            "its agent to sign filings." + _WHEREAS,
            ["Harbor Income Trust", "Lantern Fund Services, LLC"],
            "opening_terms",
            id="a-deed-appointing-its-agent",
        ),
        pytest.param(
            "ENDORSEMENT AGREEMENT\n\nThis Agreement is entered into on July 1, 2015 by and "
            'between Oakline Talent, LLC ("Lender"), for services of Jordan Blake ("Endorser"), '
            'and Peakform Nutrition, Inc. ("Company").' + _WHEREAS,
            ["Oakline Talent, LLC", "Jordan Blake", "Peakform Nutrition, Inc."],
            "defined_terms",
            id="a-loan-out-company-and-its-talent",
        ),
        pytest.param(
            "COOPERATION AGREEMENT   Party A: Jade River Municipal Bureau Party B: Sunrise Solar "
            "Energy Co., Ltd.   Party A welcomes Party B to invest in the county.",
            ["Jade River Municipal Bureau", "Sunrise Solar Energy Co., Ltd."],
            "party_labels",
            id="labels-on-one-line",
        ),
        pytest.param(
            "AGREEMENT\n\n  Party A:\n\n  Lotus Net Technology Co., Ltd.\n\n  Address:\n\n  "
            "1 Road, Beijing\n\n  Party B:\n\n  Peony Housing Co., Ltd.\n\n  Address:\n\n  "
            "2 Road, Beijing"
            "   Party C: Orchid Media Services Co., Ltd. Legal representative: WANG Li Address: 3 "
            'Road, Beijing   In this Agreement, Party A, Party B and Party C each a "Party".',
            [
                "Lotus Net Technology Co., Ltd.",
                "Peony Housing Co., Ltd.",
                "Orchid Media Services Co., Ltd.",
            ],
            "party_labels",
            id="a-third-labelled-party",
        ),
        pytest.param(
            'FRANCHISE AGREEMENT\n\nThis Franchise Agreement (the "Agreement") is entered into '
            "as of the date on the cover page between Fennel Pizza, Inc., a Florida corporation, "
            'and the individual or legal entity identified on the cover page ("Franchisee").'
            + _WHEREAS,
            ["Fennel Pizza, Inc."],
            "defined_terms.blank",
            id="a-counterparty-named-on-the-cover-page",
        ),
        pytest.param(
            'FRANCHISE AGREEMENT\n\nThis Franchise Agreement (the "Agreement") is made as of the '
            "____ day of ______, 20__. The parties to this Agreement are Sage Clinics Corp., a "
            'Delaware corporation ("we," "us," or the "Company"); ____________________, as '
            'Franchise Owner ("you" or "Franchisee").' + _WHEREAS,
            ["Sage Clinics Corp."],
            "defined_terms.blank",
            id="the-parties-to-this-agreement-are",
        ),
    ],
)
def test_drafting_shapes(tmp_path: Path, text: str, expected: list[str], rule: str) -> None:
    _assert_parties(tmp_path, text, expected, rule)


def test_a_salutation_past_the_opening_adds_nothing(tmp_path: Path) -> None:
    opening = (
        'AGREEMENT\n\nThis Agreement is made by and between Alder Labs, Inc. ("Alder") and '
        'Birch Tools LLC ("Birch").' + _WHEREAS
    )
    attached = "\n\n" + "The terms apply. " * 200 + "\n\nCedar Bank, N.A.\n1 Elm Street\n\n"
    candidate = _parties(tmp_path, opening + attached + "Ladies and Gentlemen:\n\nWe opine.")
    assert _names(candidate) == ["Alder Labs, Inc.", "Birch Tools LLC"]
    assert candidate is not None
    assert candidate.rule != "letter"


def test_a_letter_to_no_entity_adds_nothing(tmp_path: Path) -> None:
    candidate = _parties(
        tmp_path,
        "LETTER AGREEMENT\n\nTo the Board of Directors\n\nDear Sirs:\n\nAlder Labs, Inc. "
        '("Alder") and Birch Tools LLC ("Birch") agree as follows:\n\n1. Terms.',
    )
    assert _names(candidate) == ["Alder Labs, Inc.", "Birch Tools LLC"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "Exhibit 10.2\n\nIN ACCORDANCE WITH ITEM 601(b) OF REGULATION S-K, CERTAIN "
            'IDENTIFIED INFORMATION (THE "CONFIDENTIAL INFORMATION") HAS BEEN EXCLUDED FROM THIS '
            "EXHIBIT BECAUSE IT IS BOTH (I) NOT MATERIAL AND (II) WOULD LIKELY CAUSE HARM IF "
            "DISCLOSED.\n\nSERVICES ADDENDUM\n\nThis Addendum is made today.",
            id="a-redaction-legend-names-no-parties",
        ),
        pytest.param(
            "AGREEMENT\n\nThe relationship is set out below. The parties to this Agreement are "
            "independent contractors.\n\n1. Terms. The work is done.",
            id="the-parties-are-independent-contractors",
        ),
        pytest.param(
            "AGREEMENT\n\nThis Agreement is made between Palm Coast Ventures, Inc. a Florida "
            "corporation of 10 Ocean Drive, Miami and Green Valley Farms of 22 Ridge Road.\n\n"
            "1. Terms. The work is done.",
            id="no-blocks-without-a-caption",
        ),
    ],
)
def test_no_parties_in_these_shapes(tmp_path: Path, text: str) -> None:
    assert _parties(tmp_path, text) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NOT MATERIAL AND", None),
        ("IN ACCORDANCE WITH ITEM", None),
        ("Sponsor or establishing", None),
        ("Conditions", None),
        ("JANE ROE of", "JANE ROE"),
        ("the Trust Advisors to the Seller Trusts", "the Trust Advisors to the Seller Trusts"),
        ("Keystone Data Management Services Limited", "Keystone Data Management Services Limited"),
    ],
)
def test_prose_is_no_name(raw: str, expected: str | None) -> None:
    assert party_name(raw) == expected
