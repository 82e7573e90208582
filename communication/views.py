from governance.views import FamilyRegulationsView


class IndexView(FamilyRegulationsView):
    family = "communication"
    template_name = "communication/index.html"
