from files.api.crud_urls import urlpatterns as crud_urlpatterns
from files.api.path_urls import urlpatterns as path_urlpatterns

urlpatterns = crud_urlpatterns + path_urlpatterns
