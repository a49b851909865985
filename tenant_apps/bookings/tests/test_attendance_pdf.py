"""The printable attendance sheet: class column, a PAI marker readable in black and white, and a long
list that stays inside the page over several pages, the header row repeated on each."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from tenant_apps.bookings.models import Booking
from tenant_apps.bookings.pdf import attendance_sheet_html
from tenant_apps.families.tests.factories import ChildFactory, HouseholdFactory

YEAR = "2026-2027"
MONDAY = dt.date(2026, 11, 30)


@pytest.fixture
def sixty_children(town, canteen):
    """60 children booked on Monday; long names and allergies; every fifth has a PAI."""
    for n in range(60):
        household = HouseholdFactory(name=f"DE LA FONTAINE-MONTGOLFIER-{n:02d}")
        child = ChildFactory(household=household, first_name=f"Marie-Charlotte-Éléonore{n:02d}",
                             diet="sans_porc", care_plan=n % 5 == 0)
        child.allergies.create(name="Arachide, fruits à coque, lait de vache, œuf, sésame")
        child.placements.create(school_year=YEAR, school="École élémentaire Jean Jaurès", level="CE2/CM1",
                                school_class=f"CM1-{n % 3}")
        Booking.objects.create(child=child, service=canteen, date=MONDAY)


def texts_of(page) -> str:
    return " ".join(box.text for box in page._page_box.descendants() if hasattr(box, "text"))


def test_a_long_attendance_sheet_stays_inside_the_page_with_its_header_on_every_page(sixty_children, canteen,
                                                                                      town):
    from weasyprint import HTML

    # When the sheet of 60 children is laid out as for the PDF
    document = HTML(string=attendance_sheet_html(service=canteen, day=MONDAY, town=town)).render()
    # Then it spans several pages
    assert len(document.pages) > 1
    for number, page in enumerate(document.pages, start=1):
        # nothing runs off the right edge of any page
        overflowing = [
            (type(box).__name__, getattr(box, "element_tag", ""), getattr(box, "text", "")[:30], round(box.position_x), round(box.margin_width()))
            for box in page._page_box.descendants()
            if hasattr(box, "margin_width") and box.position_x + box.margin_width() > page.width + 0.5
        ]
        assert overflowing == [], f"page {number}: {overflowing}"
        # and each page repeats the header row
        words = texts_of(page)
        assert all(title in words for title in ("Nom", "Prénom", "Classe", "Régime", "Présent", "Absent")), f"page {number}: {words[:200]}"
    # Every child is on the sheet, once
    assert sum(texts_of(page).count("Éléonore") for page in document.pages) == 60


def test_the_pdf_shows_the_class_and_a_pai_marker_without_colour(staff_client, sixty_children, canteen):
    response = staff_client.get(f"/ville-a/gestion/reservations/pointage.pdf?date={MONDAY}&service={canteen.pk}")
    reader = PdfReader(io.BytesIO(response.content))
    content = " ".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) > 1
    assert "Classe" in content and "CM1-2" in content
    # 12 children out of 60 have a PAI: a bracketed text marker, not a colour
    assert content.count("[PAI]") == 12 + 1  # and the legend explains it once
    assert "projet d'accueil individualisé" in content
