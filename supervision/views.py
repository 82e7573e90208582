from governance.views import FamilyRegulationsView


class IndexView(FamilyRegulationsView):
    family = "supervision"
    template_name = "supervision/index.html"
