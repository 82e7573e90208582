from governance.views import FamilyRegulationsView


class IndexView(FamilyRegulationsView):
    family = "disclosure"
    template_name = "disclosure/index.html"
