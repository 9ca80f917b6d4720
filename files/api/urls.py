from files.api.crud_urls import urlpatterns as crud_urlpatterns
from files.api.path_urls import urlpatterns as path_urlpatterns
from files.api.preview_urls import urlpatterns as preview_urlpatterns

urlpatterns = crud_urlpatterns + path_urlpatterns + preview_urlpatterns
