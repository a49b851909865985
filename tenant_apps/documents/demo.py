"""Demo data of the documents app: a small real menu PDF, made with WeasyPrint at load time."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from tenant_apps.core.clock import town_today

from .models import Document
from .services import document_publish

MENU_HTML = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><style>
body { font-family: sans-serif; } h1 { color: #0b5394; } td, th { border: 1px solid #999; padding: 4px 8px; }
table { border-collapse: collapse; }</style></head><body>
<h1>Menus de décembre</h1><p>Restauration scolaire – Mairie de Démonstration</p>
<table><tr><th>Jour</th><th>Entrée</th><th>Plat</th><th>Dessert</th></tr>
<tr><td>Lundi</td><td>Carottes râpées</td><td>Hachis parmentier</td><td>Yaourt</td></tr>
<tr><td>Mardi</td><td>Potage de légumes</td><td>Poisson pané, riz</td><td>Pomme</td></tr>
<tr><td>Jeudi</td><td>Betteraves</td><td>Poulet rôti, haricots verts</td><td>Compote</td></tr>
<tr><td>Vendredi</td><td>Salade verte</td><td>Lasagnes aux légumes</td><td>Bûche de Noël</td></tr>
</table></body></html>"""


def menu_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string=MENU_HTML).write_pdf()


def load(town) -> None:
    today = town_today()
    document_publish(
        title="Menus de décembre",
        category=Document.Category.MENUS,
        upload=SimpleUploadedFile("menus-decembre.pdf", menu_pdf(), content_type="application/pdf"),
        published_on=today - datetime.timedelta(days=2),
    )
